"""Translations in the admin.

Topics and reviewers: one box per translated field and language, kept in `translations`.
Guides: a translation is a Guide row of its own, edited through the same drafts, preview
and history as any guide (GuideAdmin inherits TranslationsMixin first). Its change form
shows the English original beside it; the topic, order, home-page choice and related
guides follow the original. Only a clinical reviewer clears the "awaiting clinical
review" mark, with the Approve translation button; the form never carries the mark.
"""

from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import get_language_info

from education.models import Guide
from education.services.publishing import ApprovalNeeded, translation_approve

ENGLISH = settings.LANGUAGE_CODE
# The languages a guide, topic or reviewer is translated into, as the settings name them
# (a box's label: "Title (Español)") and in English (the admin's words: "Spanish").
OTHER_LANGUAGES = [(code, name) for code, name in settings.LANGUAGES if code != ENGLISH]


def english_name(code: str) -> str:
    return get_language_info(code)["name"]


# A translation takes these from its original; its form neither shows nor posts them.
FROM_ORIGINAL = ("topic", "order", "featured", "related")
APPROVE_TRANSLATION = "_approve_translation"


def box_name(field: str, code: str) -> str:
    return f"{field}_{code}"


class TranslatedModelForm(forms.ModelForm):
    """Fills the language boxes from `translations` and stores them back there."""

    BOXES: dict[str, tuple[str, str]] = {}  # box name: (field, language code)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        stored = self.instance.translations or {}
        for name, (field, code) in self.BOXES.items():
            self.initial.setdefault(name, stored.get(code, {}).get(field, ""))

    def save(self, commit=True):
        stored = {code: dict(words) for code, words in (self.instance.translations or {}).items()}
        for name, (field, code) in self.BOXES.items():
            if name not in self.cleaned_data:
                continue
            words = stored.setdefault(code, {})
            if value := self.cleaned_data[name].strip():
                words[field] = value
            else:
                words.pop(field, None)  # an empty box falls back to the English
        self.instance.translations = {code: words for code, words in stored.items() if words}
        return super().save(commit)


def translated_form(model) -> type[TranslatedModelForm]:
    """A model form with a box for each of `model.TRANSLATED_FIELDS` in each other language."""
    boxes, declared = {}, {}
    for field in model.TRANSLATED_FIELDS:
        model_field = model._meta.get_field(field)
        for code, name in OTHER_LANGUAGES:
            boxes[box_name(field, code)] = (field, code)
            declared[box_name(field, code)] = forms.CharField(
                label=f"{capfirst(model_field.verbose_name)} ({name})",
                max_length=model_field.max_length, required=False,
                help_text=f"Leave empty to show the {model_field.verbose_name} in English.",
            )  # fmt: skip
    meta = type("Meta", (), {"model": model, "exclude": ("translations",)})
    return type(f"{model.__name__}TranslatedForm", (TranslatedModelForm,),
                {**declared, "BOXES": boxes, "Meta": meta})  # fmt: skip


class LanguageFilter(admin.SimpleListFilter):
    title = "language"
    parameter_name = "language"

    def lookups(self, request, model_admin):
        return [(code, english_name(code)) for code, _name in settings.LANGUAGES]

    def queryset(self, request, queryset):
        return queryset.filter(language=self.value()) if self.value() else queryset


class TranslationReviewFilter(admin.SimpleListFilter):
    title = "translation review"
    parameter_name = "translation_review"

    def lookups(self, request, model_admin):
        return [("awaiting", "Awaiting clinical review of translation")]

    def queryset(self, request, queryset):
        if self.value() == "awaiting":
            return queryset.filter(awaiting_translation_review=True)
        return queryset


def translation_state(guide: Guide) -> str:
    if guide.awaiting_translation_review:
        return "awaiting clinical review"
    return "published" if guide.status == Guide.Status.PUBLISHED else "not published"


class TranslationForm(forms.ModelForm):
    """A translation's form: what comes from the original is set from it, not posted."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "slug" in self.fields:
            self.fields["slug"].help_text = "The guide's address: /es/learn/this-slug/."

    def clean(self):
        cleaned = super().clean()
        original = cleaned.get("translation_of") or self.instance.translation_of
        if original is not None:
            self.instance.topic_id = original.topic_id
            self.instance.order, self.instance.featured = original.order, original.featured
        return cleaned


class TranslationsMixin:
    """A guide's language and translations in the list and on its change form."""

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("translations")

    @admin.display(description="Language", ordering="language")
    def language_and_translations(self, guide):
        if guide.translation_of_id:
            return f"{english_name(guide.language)} (translation)"
        kept = {translation.language: translation for translation in guide.translations.all()}
        lines = [english_name(guide.language)]
        for code, _name in OTHER_LANGUAGES:
            translation = kept.get(code)
            lines.append(f"{english_name(code)}: {translation_state(translation)}"
                         if translation else f"no {english_name(code)}")  # fmt: skip
        return format_html_join(mark_safe("<br>"), "{}", ((line,) for line in lines))

    def _is_translation(self, request, guide) -> bool:
        if guide is not None and guide.pk:
            return guide.translation_of_id is not None
        # The add form: "Add Spanish translation" opens it with ?translation_of=…
        return bool(request.GET.get("translation_of") or request.POST.get("translation_of"))

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if not self._is_translation(request, obj):
            return fieldsets
        shown = []
        for title, options in fieldsets:
            fields = [name for name in options["fields"] if name not in FROM_ORIGINAL]
            if title is None:
                fields += ["language", "translation_of", "from_original"]
            if fields:
                shown.append((title, {**options, "fields": fields}))
        return shown

    def get_readonly_fields(self, request, obj=None):
        readonly = [*super().get_readonly_fields(request, obj), "from_original"]
        if obj is not None and obj.pk:
            readonly += ["language", "translation_of"]  # a translation stays what it is
        return readonly

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change, **kwargs)
        if not self._is_translation(request, obj):
            return form_class
        return type(form_class.__name__, (TranslationForm, form_class), {})

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "translation_of":
            kwargs["queryset"] = Guide.objects.filter(language=ENGLISH)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "language" and self._is_translation(request, None):
            kwargs["choices"] = OTHER_LANGUAGES
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    @admin.display(description="From the original")
    def from_original(self, guide):
        original = guide.translation_of if guide and guide.translation_of_id else None
        if original is None:
            return "The topic, order, home page and related guides follow the original."
        return (f"Topic “{original.topic}”, order {original.order}, "
                f"{'on' if original.featured else 'not on'} the home page, and the related "
                "guides: as the original has them.")  # fmt: skip

    def save_model(self, request, obj, form, change):
        if not change and obj.translation_of_id:
            obj.awaiting_translation_review = True  # until a clinical reviewer approves it
        super().save_model(request, obj, form, change)

    def add_view(self, request, form_url="", extra_context=None):
        original_id = request.GET.get("translation_of", "")
        original = Guide.objects.filter(pk=original_id, language=ENGLISH).first() if (
            original_id.isdigit()) else None  # fmt: skip
        if original is not None:
            extra_context = {**(extra_context or {}), "translation": {"original": original}}
        return super().add_view(request, form_url, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "POST" and APPROVE_TRANSLATION in request.POST:
            return self._approve_translation(request, object_id)
        guide = Guide.objects.select_related("translation_of__topic").filter(
            pk=object_id).first() if str(object_id).isdigit() else None  # fmt: skip
        if guide is not None:
            extra_context = {**(extra_context or {}), "translation": self._panel(request, guide)}
        return super().change_view(request, object_id, form_url, extra_context)

    def _panel(self, request, guide: Guide) -> dict:
        """The original beside a translation, or an original's translations."""
        if guide.translation_of_id:
            reviewer = self._reviewer(request.user) if guide.awaiting_translation_review else None
            return {
                "original": guide.translation_of,
                "language": english_name(guide.language),
                "awaiting": guide.awaiting_translation_review,
                "approve_as": reviewer.name if reviewer else "",
            }
        kept = {translation.language: translation for translation in guide.translations.all()}
        rows = []
        for code, _name in OTHER_LANGUAGES:
            translation, name = kept.get(code), english_name(code)
            if translation is not None:
                rows.append({"language": name, "guide": translation,
                             "state": translation_state(translation),
                             "url": self._change_url(translation.pk)})  # fmt: skip
            else:
                query = urlencode({"language": code, "translation_of": guide.pk,
                                   "topic": guide.topic_id, "reviewer": guide.reviewer_id})  # fmt: skip
                rows.append({"language": name, "add_url": f"{self._add_url()}?{query}"})
        return {"translations": rows}

    def _add_url(self) -> str:
        return reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_add")

    def _approve_translation(self, request, object_id):
        guide = get_object_or_404(Guide, pk=object_id)
        if not self.has_change_permission(request, guide):
            raise PermissionDenied
        try:
            reviewer = translation_approve(guide=guide, user=request.user)
        except ApprovalNeeded as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(
                request, f"Translation approved as {reviewer.name}: visitors no longer see it "
                "marked as awaiting clinical review, and it names you as its reviewer, "
                "reviewed today.",
            )  # fmt: skip
            self.log_change(request, guide, f"Approved the translation as {reviewer.name}")
        return redirect(self._change_url(guide.pk))

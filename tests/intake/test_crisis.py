"""Which messages are flagged urgent (overdose, suicide, self-harm)."""

import pytest

from intake.crisis import mentions_crisis


@pytest.mark.parametrize(
    "text",
    [
        "I think my son might overdose", "she OD'd last week", "he od'ed on Friday",
        "I wanna die", "I cut myself last night", "I dont want to live anymore",
        "thinking of ending it all", "he took too many pills and wont wake up",
        "I have been thinking about suicide", "self-harm", "he is not breathing",
        "I want to kill myself",
    ],
)  # fmt: skip
def test_messages_speaking_of_danger_are_urgent(text):
    assert mentions_crisis(text)


@pytest.mark.parametrize(
    "text",
    [
        "I have an odd question",
        "Can you tell me about methadone?",
        "My daughter needs help",
        "What does outpatient cost?",
        "Is detox painful?",
        "",
    ],
)
def test_ordinary_messages_are_not(text):
    assert not mentions_crisis(text)


@pytest.mark.parametrize(
    "text",
    [
        "Creo que mi hermano tuvo una sobredosis", "no respira", "mi hijo no despierta",
        "se puso azul", "se puso morada y no contesta", "¿dónde consigo Narcan?",
        "tengo naloxona pero no sé usarla", "quiero morir", "a veces quiero morirme",
        "Me quiero morir", "pienso en suicidarme", "habló de suicidio", "voy a matarme",
        "quiero quitarme la vida", "tengo ganas de hacerme daño", "quiero hacerme dano",
        "quiero cortarme", "ya no quiero vivir", "NO QUIERO VIVIR ASÍ", "Sobredósis",
    ],
)  # fmt: skip
def test_spanish_messages_speaking_of_danger_are_urgent(text):
    assert mentions_crisis(text)


@pytest.mark.parametrize(
    "text",
    [
        "Quiero información sobre el tratamiento",
        "¿Cuánto cuesta la consulta?",
        "Mi hijo necesita ayuda con la heroína",
        "¿Aceptan Medicaid?",
        "Prefiero que me llamen por la mañana",
    ],
)
def test_ordinary_spanish_messages_are_not(text):
    assert not mentions_crisis(text)

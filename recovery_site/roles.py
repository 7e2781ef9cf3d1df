"""The staff roles, each name written once.

The data migrations create a group of each name with its permissions (intake 0002,
education 0004 and 0012); the admin, the scripts and the tests refer to the groups through these.
"""

COORDINATORS = "Intake coordinators"
CONTENT_EDITORS = "Content editors"
ADMINISTRATORS = "Administrators"
# Clinicians who approve medical changes to guides (with the two-person rule on), each
# signed in with the staff account their Reviewer is linked to.
CLINICAL_REVIEWERS = "Clinical reviewers"

# Who may be given a request to work.
CAN_TAKE_REQUESTS = (COORDINATORS, ADMINISTRATORS)

"""The staff roles, each name written once.

The data migrations create a group of each name with its permissions (intake 0002,
education 0004); the admin, the scripts and the tests refer to the groups through these.
"""

COORDINATORS = "Intake coordinators"
CONTENT_EDITORS = "Content editors"
ADMINISTRATORS = "Administrators"

# Who may be given a request to work.
CAN_TAKE_REQUESTS = (COORDINATORS, ADMINISTRATORS)

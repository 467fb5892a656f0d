# Horizon websso for stack dev. Generated; do not edit.
OPENSTACK_KEYSTONE_URL = "http://localhost:5000/v3"
WEBSSO_ENABLED = True
WEBSSO_KEYSTONE_URL = "http://localhost:5000/v3"
WEBSSO_CHOICES = (
    ("credentials", "Keystone Credentials"),
    ("keycloak-openstack_openid", "OpenStack (local)"),
)
WEBSSO_IDP_MAPPING = {
    "keycloak-openstack_openid": ("keycloak-openstack", "openid"),
}
WEBSSO_INITIAL_CHOICE = "keycloak-openstack_openid"
# Logins go straight to Keycloak; logout clears the Horizon session, then ends the Keycloak one.
WEBSSO_DEFAULT_REDIRECT = True
WEBSSO_DEFAULT_REDIRECT_PROTOCOL = "openid"
WEBSSO_DEFAULT_REDIRECT_REGION = "http://localhost:5000/v3"
WEBSSO_DEFAULT_REDIRECT_LOGOUT = "http://localhost:5000/redirect_uri?logout=http%3A%2F%2Flocalhost%3A8000%2F"

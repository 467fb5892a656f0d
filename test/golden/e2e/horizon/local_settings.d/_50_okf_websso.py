# Horizon websso for stack e2e. Generated; do not edit.
OPENSTACK_KEYSTONE_URL = "http://127.0.0.1:35980/v3"
WEBSSO_ENABLED = True
WEBSSO_KEYSTONE_URL = "http://127.0.0.1:35980/v3"
WEBSSO_CHOICES = (
    ("credentials", "Keystone Credentials"),
    ("keycloak-openstack_openid", "OpenStack (e2e)"),
)
WEBSSO_IDP_MAPPING = {
    "keycloak-openstack_openid": ("keycloak-openstack", "openid"),
}
WEBSSO_INITIAL_CHOICE = "keycloak-openstack_openid"
# Logins go straight to Keycloak; logout clears the Horizon session, then ends the Keycloak one.
WEBSSO_DEFAULT_REDIRECT = True
WEBSSO_DEFAULT_REDIRECT_PROTOCOL = "openid"
WEBSSO_DEFAULT_REDIRECT_REGION = "http://127.0.0.1:35980/v3"
WEBSSO_DEFAULT_REDIRECT_LOGOUT = "http://127.0.0.1:35980/redirect_uri?logout=http%3A%2F%2Flocalhost%3A8000%2F"

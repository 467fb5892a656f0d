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
# Horizon logs the user out, then sends the browser to Keycloak to end the SSO session too.
WEBSSO_DEFAULT_REDIRECT_LOGOUT = "https://localhost:35443/realms/openstack/protocol/openid-connect/logout?client_id=keystone&post_logout_redirect_uri=http%3A%2F%2Flocalhost%3A8000%2F"
LOGOUT_URL = "https://localhost:35443/realms/openstack/protocol/openid-connect/logout?client_id=keystone&post_logout_redirect_uri=http%3A%2F%2Flocalhost%3A8000%2F"

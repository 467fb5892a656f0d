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
# Horizon logs the user out, then sends the browser to Keycloak to end the SSO session too.
WEBSSO_DEFAULT_REDIRECT_LOGOUT = "http://localhost:8080/realms/openstack/protocol/openid-connect/logout?client_id=keystone&post_logout_redirect_uri=http%3A%2F%2Flocalhost%3A8000%2F"
LOGOUT_URL = "http://localhost:8080/realms/openstack/protocol/openid-connect/logout?client_id=keystone&post_logout_redirect_uri=http%3A%2F%2Flocalhost%3A8000%2F"

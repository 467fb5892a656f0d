# Horizon websso for stack test-template. Generated; do not edit.
OPENSTACK_KEYSTONE_URL = "https://keystone.test.example.com:5000/v3"
WEBSSO_ENABLED = True
WEBSSO_KEYSTONE_URL = "https://keystone.test.example.com:5000/v3"
WEBSSO_CHOICES = (
    ("credentials", "Keystone Credentials"),
    ("keycloak-openstack-test_openid", "OpenStack (test)"),
)
WEBSSO_IDP_MAPPING = {
    "keycloak-openstack-test_openid": ("keycloak-openstack-test", "openid"),
}
WEBSSO_INITIAL_CHOICE = "keycloak-openstack-test_openid"
# Horizon logs the user out, then sends the browser to Keycloak to end the SSO session too.
WEBSSO_DEFAULT_REDIRECT_LOGOUT = "https://id.test.example.com/realms/openstack-test/protocol/openid-connect/logout?client_id=keystone&post_logout_redirect_uri=https%3A%2F%2Fdashboard.test.example.com%2F"
LOGOUT_URL = "https://id.test.example.com/realms/openstack-test/protocol/openid-connect/logout?client_id=keystone&post_logout_redirect_uri=https%3A%2F%2Fdashboard.test.example.com%2F"

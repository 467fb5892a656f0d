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
# Logins go straight to Keycloak; logout clears the Horizon session, then ends the Keycloak one.
WEBSSO_DEFAULT_REDIRECT = True
WEBSSO_DEFAULT_REDIRECT_PROTOCOL = "openid"
WEBSSO_DEFAULT_REDIRECT_REGION = "https://keystone.test.example.com:5000/v3"
WEBSSO_DEFAULT_REDIRECT_LOGOUT = "https://keystone.test.example.com:5000/redirect_uri?logout=https%3A%2F%2Fdashboard.test.example.com%2F"

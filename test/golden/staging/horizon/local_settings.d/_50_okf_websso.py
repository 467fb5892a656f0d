# Horizon websso for stack staging. Generated; do not edit.
OPENSTACK_KEYSTONE_URL = "https://keystone.staging.example.com:5000/v3"
WEBSSO_ENABLED = True
WEBSSO_KEYSTONE_URL = "https://keystone.staging.example.com:5000/v3"
WEBSSO_CHOICES = (
    ("credentials", "Keystone Credentials"),
    ("keycloak-openstack_openid", "OpenStack (staging)"),
)
WEBSSO_IDP_MAPPING = {
    "keycloak-openstack_openid": ("keycloak-openstack", "openid"),
}
WEBSSO_INITIAL_CHOICE = "keycloak-openstack_openid"
# Horizon logs the user out, then sends the browser to Keycloak to end the SSO session too.
WEBSSO_DEFAULT_REDIRECT_LOGOUT = "https://id.staging.example.com/realms/openstack/protocol/openid-connect/logout?client_id=keystone&post_logout_redirect_uri=https%3A%2F%2Fdashboard.staging.example.com%2F"
LOGOUT_URL = "https://id.staging.example.com/realms/openstack/protocol/openid-connect/logout?client_id=keystone&post_logout_redirect_uri=https%3A%2F%2Fdashboard.staging.example.com%2F"

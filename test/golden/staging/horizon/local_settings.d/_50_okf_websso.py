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
# Logins go straight to Keycloak; logout clears the Horizon session, then ends the Keycloak one.
WEBSSO_DEFAULT_REDIRECT = True
WEBSSO_DEFAULT_REDIRECT_PROTOCOL = "openid"
WEBSSO_DEFAULT_REDIRECT_REGION = "https://keystone.staging.example.com:5000/v3"
WEBSSO_DEFAULT_REDIRECT_LOGOUT = "https://keystone.staging.example.com:5000/redirect_uri?logout=https%3A%2F%2Fdashboard.staging.example.com%2F"

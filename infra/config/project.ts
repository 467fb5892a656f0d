/**
 * The project's name: Pulumi's project, and the namespace of every configuration key of a stack
 * (`openstack-keycloak-federation:<key>`). The only place it is written. No imports, so the
 * dynamic provider's serialized code can capture it by value.
 */
export const PROJECT_NAMESPACE = "openstack-keycloak-federation";

package io.leadsync.app.deploy;

import io.leadsync.app.LeadsyncSettings;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The deployment files under {@code deploy/} parse and agree with the code: the Kubernetes manifests and the compose
 * file reference the port the container config serves, probe {@code /health}, and every {@code LEADSYNC_} variable they
 * set names a setting of the one settings model ({@link LeadsyncSettings#fromEnvironment}), so a typo is caught here
 * rather than ignored at run time. There is no Docker engine here: the image itself is not built.
 */
class DeploymentManifestsTest {
    private static final Path DEPLOY = Path.of("../deploy");
    /** Variables the entrypoint reads itself, or placeholders of the container config, not leadsync.* settings. */
    private static final Set<String> NOT_SETTINGS = Set.of("LEADSYNC_ADMIN_TOKEN",
            "HUBSPOT_TOKEN", "HUBSPOT_BASE_URL", "JAVA_OPTS");

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> documents(String file) throws IOException {
        List<Map<String, Object>> documents = new ArrayList<>();
        try (Reader reader = Files.newBufferedReader(DEPLOY.resolve(file))) {
            new Yaml().loadAll(reader).forEach(document -> documents.add((Map<String, Object>) document));
        }
        return documents;
    }

    @SuppressWarnings("unchecked")
    private static <T> T at(Object node, Object... path) {
        Object current = node;
        for (Object step : path) {
            current = step instanceof Integer index ? ((List<Object>) current).get(index)
                    : ((Map<String, Object>) current).get(step);
        }
        return (T) current;
    }

    private static int containerPort() throws IOException {
        Map<String, Object> config = documents("config/application.yml").get(0);
        return at(config, "micronaut", "server", "port");
    }

    private static void assertNamesSettings(Iterable<String> variables) {
        for (String variable : variables) {
            if (!variable.startsWith("LEADSYNC_") || NOT_SETTINGS.contains(variable)
                    || variable.equals("LEADSYNC_NODE_ID")) {
                if (variable.equals("LEADSYNC_NODE_ID")) {
                    assertThat(LeadsyncSettings.fromEnvironment(Map.of(variable, "x"))).containsKey("leadsync.node-id");
                }
                continue;
            }
            assertThat(LeadsyncSettings.fromEnvironment(Map.of(variable, "x"))).as(variable + " sets a setting")
                    .hasSize(1);
        }
    }

    @Test
    void theContainerConfigServesOnEveryInterfaceAndTakesItsSecretsFromTheEnvironment() throws IOException {
        Map<String, Object> config = documents("config/application.yml").get(0);
        assertThat((String) at(config, "micronaut", "server", "host")).isEqualTo("0.0.0.0");
        assertThat(containerPort()).isEqualTo(8080);
        assertThat((String) at(config, "leadsync", "api", "tokens", 0, "token")).isEqualTo("${LEADSYNC_ADMIN_TOKEN}");
        assertThat((String) at(config, "sync", "connectors", "hubspot-main", "token")).isEqualTo("${HUBSPOT_TOKEN}");
    }

    @Test
    void theDeploymentRunsTwoClusteredReplicasProbedOnHealthWithTheirPodNameAsNodeId() throws IOException {
        Map<String, Object> deployment = documents("kubernetes/deployment.yml").get(0);
        assertThat((String) at(deployment, "kind")).isEqualTo("Deployment");
        assertThat((Integer) at(deployment, "spec", "replicas")).isEqualTo(2);
        Map<String, Object> container = at(deployment, "spec", "template", "spec", "containers", 0);
        assertThat((Integer) at(container, "ports", 0, "containerPort")).isEqualTo(containerPort());
        assertThat((String) at(container, "ports", 0, "name")).isEqualTo("http");
        for (String probe : List.of("startupProbe", "readinessProbe", "livenessProbe")) {
            assertThat((String) at(container, probe, "httpGet", "path")).as(probe).isEqualTo("/health");
            assertThat((String) at(container, probe, "httpGet", "port")).as(probe).isEqualTo("http");
        }
        Map<String, Map<String, Object>> env = new LinkedHashMap<>();
        List<Map<String, Object>> entries = at(container, "env");
        entries.forEach(entry -> env.put((String) entry.get("name"), entry));
        assertThat((String) at(env.get("LEADSYNC_NODE_ID"), "valueFrom", "fieldRef", "fieldPath"))
                .isEqualTo("metadata.name");
        for (String secret : List.of("LEADSYNC_DATABASE_PASSWORD", "LEADSYNC_ADMIN_TOKEN", "HUBSPOT_TOKEN")) {
            assertThat((String) at(env.get(secret), "valueFrom", "secretKeyRef", "key")).isEqualTo(secret);
            assertThat((String) at(env.get(secret), "valueFrom", "secretKeyRef", "name")).isEqualTo("leadsync");
        }
        assertNamesSettings(env.keySet());
        assertThat((String) at(container, "envFrom", 0, "configMapRef", "name")).isEqualTo("leadsync");
        // the grace a stopping pod gets outlasts the runs' own shutdown grace
        Map<String, Object> configMap = documents("kubernetes/configmap.yml").get(0);
        int grace = at(deployment, "spec", "template", "spec", "terminationGracePeriodSeconds");
        String runGrace = at(configMap, "data", "LEADSYNC_RUNS_SHUTDOWN_GRACE");
        assertThat(grace).isGreaterThan(Integer.parseInt(runGrace.replace("s", "")));
    }

    @Test
    void theConfigMapSecretAndServiceAgreeWithTheDeployment() throws IOException {
        Map<String, Object> configMap = documents("kubernetes/configmap.yml").get(0);
        Map<String, Object> data = at(configMap, "data");
        assertThat(data).containsEntry("LEADSYNC_CLUSTER_ENABLED", "true");
        assertThat((String) data.get("LEADSYNC_DATABASE_URL")).startsWith("jdbc:postgresql://");
        assertNamesSettings(data.keySet());
        data.values().forEach(value -> assertThat(value).as("config map values are strings").isInstanceOf(String.class));

        Map<String, Object> secret = documents("kubernetes/secret.template.yml").get(0);
        assertThat((String) at(secret, "kind")).isEqualTo("Secret");
        Map<String, Object> secrets = at(secret, "stringData");
        assertThat(secrets).containsOnlyKeys("LEADSYNC_DATABASE_PASSWORD", "LEADSYNC_ADMIN_TOKEN", "HUBSPOT_TOKEN");

        Map<String, Object> service = documents("kubernetes/service.yml").get(0);
        assertThat((String) at(service, "kind")).isEqualTo("Service");
        assertThat((String) at(service, "spec", "ports", 0, "targetPort")).isEqualTo("http");
        assertThat((Integer) at(service, "spec", "ports", 0, "port")).isEqualTo(containerPort());
        Map<String, Object> deployment = documents("kubernetes/deployment.yml").get(0);
        assertThat((Map<String, Object>) at(service, "spec", "selector"))
                .isEqualTo(at(deployment, "spec", "selector", "matchLabels"));
    }

    @Test
    void theComposeFileRunsPostgresAndTwoClusteredInstancesWithTheirOwnNodeIds() throws IOException {
        Map<String, Object> compose = documents("docker-compose.yml").get(0);
        Map<String, Object> services = at(compose, "services");
        assertThat(services).containsOnlyKeys("postgres", "leadsync-1", "leadsync-2");
        for (String instance : List.of("leadsync-1", "leadsync-2")) {
            Map<String, Object> env = at(services, instance, "environment");
            assertThat(env).containsEntry("LEADSYNC_CLUSTER_ENABLED", "true").containsEntry("LEADSYNC_NODE_ID", instance);
            assertThat((String) env.get("LEADSYNC_DATABASE_URL")).startsWith("jdbc:postgresql://postgres:5432/");
            assertNamesSettings(env.keySet());
            assertThat((String) at(services, instance, "ports", 0)).endsWith(":" + containerPort());
            assertThat((String) at(services, instance, "depends_on", "postgres", "condition"))
                    .isEqualTo("service_healthy");
            assertThat((String) at(services, instance, "build", "dockerfile")).isEqualTo("deploy/docker/Dockerfile");
        }
        assertThat(Files.readString(DEPLOY.resolve("docker/Dockerfile"))).contains("ENTRYPOINT [\"/app/entrypoint.sh\"]")
                .contains("COPY deploy/config/application.yml /app/config/application.yml").contains("EXPOSE 8080");
    }
}

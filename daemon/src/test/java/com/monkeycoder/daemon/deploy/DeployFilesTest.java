package com.monkeycoder.daemon.deploy;

import com.monkeycoder.daemon.DaemonLauncher;
import com.monkeycoder.daemon.testing.TestGateway;
import com.monkeycoder.shared.config.ConfigKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The deployment files cannot run here (no container runtime), so they are read: the compose stack, the Kubernetes
 * manifests and the Dockerfile must give the gateway what it needs to start, probe routes and ports it serves, run
 * as non-root, drain within the orchestrators' grace, and use the nginx file the topology test ran.
 */
class DeployFilesTest {

    private static final Path DEPLOY = Path.of("..", "deploy");
    private static final Path DOCKERFILE = Path.of("..", "packaging", "Dockerfile");
    private static final int PORT = Integer.parseInt(ConfigKey.PORT.defaultValue());

    @TempDir
    Path home;

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object o) {
        return (List<Object>) o;
    }

    private static Map<String, Object> yaml(Path file) throws IOException {
        return map(new Yaml().load(Files.readString(file)));
    }

    private static List<Map<String, Object>> yamls(Path dir) throws IOException {
        List<Map<String, Object>> docs = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                for (Object doc : new Yaml().loadAll(Files.readString(f))) {
                    docs.add(map(doc));
                }
            }
        }
        return docs;
    }

    /** The variables a gateway-mode start names as missing when given none: what it really requires. */
    private Set<String> requiredAtStart() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new DaemonLauncher().runForeground(Map.of("MONKEY_CODER_HOME", home.toString()), 0, "gateway",
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).isEqualTo(3);
        String message = TestGateway.parse(err.toString(StandardCharsets.UTF_8)).path("message").asText();
        Set<String> names = new LinkedHashSet<>();
        Matcher m = Pattern.compile("\\b([A-Z][A-Z0-9_]{3,})\\b").matcher(message);
        while (m.find()) {
            names.add(m.group(1));
        }
        assertThat(names).contains("DATABASE_URL", "REDIS_URL", "MONKEY_CODER_SECRET");
        return names;
    }

    @Test
    void composeGivesEachReplicaWhatItNeedsAndStartsItAfterHealthyStores() throws IOException {
        Map<String, Object> services = map(yaml(DEPLOY.resolve("compose.yaml")).get("services"));
        List<String> gateways = services.keySet().stream().filter(s -> s.startsWith("gateway-")).toList();
        assertThat(gateways).as("two gateway replicas").hasSize(2);
        Set<String> required = requiredAtStart();
        for (String name : gateways) {
            Map<String, Object> gateway = map(services.get(name));
            assertThat(map(gateway.get("environment")).keySet()).as(name + " environment")
                    .containsAll(required).contains("MONKEY_CODER_METRICS_TOKEN");
            Map<String, Object> dependsOn = map(gateway.get("depends_on"));
            assertThat(dependsOn.keySet()).containsExactlyInAnyOrder("postgres", "redis");
            dependsOn.values().forEach(d -> assertThat(map(d).get("condition")).isEqualTo("service_healthy"));
            assertThat(gateway.get("read_only")).isEqualTo(true);
            assertThat(gateway.get("user")).as(name + " runs as the image's non-root user").isNull();
            assertThat(list(gateway.get("expose"))).containsExactly(String.valueOf(PORT));
            assertThat(gateway.get("stop_grace_period")).isEqualTo("30s");
        }
        for (String store : List.of("postgres", "redis")) {
            Map<String, Object> s = map(services.get(store));
            assertThat(s).as(store).containsKeys("healthcheck", "volumes");
        }
        Map<String, Object> nginx = map(services.get("nginx"));
        assertThat(list(nginx.get("volumes"))).contains("./nginx.conf:/etc/nginx/nginx.conf:ro");
        assertThat(String.valueOf(nginx.get("image"))).contains("unprivileged");
        assertThat(map(services.get("prometheus")).get("user")).isEqualTo("65534:65534");
        map(nginx.get("depends_on")).values().forEach(d -> assertThat(map(d).get("condition")).isEqualTo("service_healthy"));
    }

    @Test
    void envExampleNamesEveryVariableComposeReadsAndEveryProviderKey() throws IOException {
        String compose = Files.readString(DEPLOY.resolve("compose.yaml"));
        Set<String> read = new LinkedHashSet<>();
        Matcher m = Pattern.compile("\\$\\{([A-Z_][A-Z0-9_]*)").matcher(compose);
        while (m.find()) {
            read.add(m.group(1));
        }
        String example = Files.readString(DEPLOY.resolve(".env.example"));
        Set<String> named = new LinkedHashSet<>();
        Matcher n = Pattern.compile("(?m)^#? ?([A-Z_][A-Z0-9_]*)=").matcher(example);
        while (n.find()) {
            named.add(n.group(1));
        }
        assertThat(named).containsAll(read).contains("OPENAI_API_KEY", "ANTHROPIC_API_KEY", "GOOGLE_API_KEY",
                "GROQ_API_KEY", "XAI_API_KEY", "PERPLEXITY_API_KEY", "MOONSHOT_API_KEY", "OPENROUTER_API_KEY",
                "OLLAMA_HOST", "MONKEY_CODER_SECRET", "DATABASE_URL", "REDIS_URL", "MONKEY_CODER_METRICS_TOKEN");
    }

    @Test
    void kubernetesProbesAndPortsPointAtWhatTheGatewayServes() throws Exception {
        List<Map<String, Object>> docs = yamls(DEPLOY.resolve("kubernetes/base"));
        Map<String, Map<String, Object>> byKind = new java.util.HashMap<>();
        docs.stream().filter(d -> d.containsKey("kind")).forEach(d -> byKind.put((String) d.get("kind"), d));
        assertThat(byKind).containsKeys("Deployment", "Service", "PodDisruptionBudget", "HorizontalPodAutoscaler", "ConfigMap");

        Map<String, Object> pod = map(map(map(byKind.get("Deployment").get("spec")).get("template")).get("spec"));
        Map<String, Object> podMeta = map(map(map(byKind.get("Deployment").get("spec")).get("template")).get("metadata"));
        Map<String, Object> container = map(list(pod.get("containers")).getFirst());
        Map<String, Object> port = map(list(container.get("ports")).getFirst());
        assertThat(port.get("containerPort")).isEqualTo(PORT);
        String readiness = (String) map(map(container.get("readinessProbe")).get("httpGet")).get("path");
        String liveness = (String) map(map(container.get("livenessProbe")).get("httpGet")).get("path");
        assertThat(readiness).isEqualTo("/ready");
        assertThat(liveness).isEqualTo("/health");
        Map<String, Object> annotations = map(podMeta.get("annotations"));
        assertThat(annotations.get("prometheus.io/port")).isEqualTo(String.valueOf(PORT));
        String metricsPath = (String) annotations.get("prometheus.io/path");

        // The routes answer on a running gateway (local mode: /metrics needs no token on loopback).
        TestGateway gateway = TestGateway.start(home, Map.of());
        try {
            for (String path : List.of(readiness, liveness, metricsPath)) {
                assertThat(gateway.get(path).statusCode()).as("GET " + path).isEqualTo(200);
            }
        } finally {
            gateway.close();
        }

        Map<String, Object> security = map(pod.get("securityContext"));
        assertThat(security.get("runAsNonRoot")).isEqualTo(true);
        assertThat((Integer) security.get("runAsUser")).isPositive();
        assertThat(map(container.get("securityContext")).get("readOnlyRootFilesystem")).isEqualTo(true);
        assertThat(list(container.get("volumeMounts")).stream().map(v -> map(v).get("mountPath")))
                .contains("/var/lib/monkey-coder", "/tmp");

        // Secrets: the variables a start requires come from the Secret, never optional.
        List<Object> env = list(container.get("env"));
        for (String name : requiredAtStart()) {
            Map<String, Object> var = env.stream().map(DeployFilesTest::map).filter(v -> name.equals(v.get("name")))
                    .findFirst().orElseThrow(() -> new AssertionError(name + " is not given to the container"));
            Map<String, Object> ref = map(map(var.get("valueFrom")).get("secretKeyRef"));
            assertThat(ref.get("optional")).as(name).isNotEqualTo(true);
        }

        // The drain fits the grace: preStop sleep + drain timeout < terminationGracePeriodSeconds <= 30.
        int grace = (Integer) pod.get("terminationGracePeriodSeconds");
        int preStop = (Integer) map(map(map(container.get("lifecycle")).get("preStop")).get("sleep")).get("seconds");
        Map<String, Object> config = map(byKind.get("ConfigMap").get("data"));
        int drain = Integer.parseInt((String) config.get(ConfigKey.DRAIN_TIMEOUT_SECONDS.env()));
        int pause = Integer.parseInt((String) config.get(ConfigKey.DRAIN_PAUSE_SECONDS.env()));
        assertThat(preStop + drain).isLessThan(grace);
        assertThat(pause).isLessThan(drain);
        assertThat(grace).isLessThanOrEqualTo(30);

        Map<String, Object> service = map(byKind.get("Service").get("spec"));
        assertThat(map(list(service.get("ports")).getFirst()).get("targetPort")).isEqualTo(port.get("name"));
        Map<String, Object> hpa = map(byKind.get("HorizontalPodAutoscaler").get("spec"));
        assertThat(map(map(list(hpa.get("metrics")).getFirst()).get("resource")).get("name")).isEqualTo("cpu");
    }

    @Test
    void theImageRunsAsNonRootExposesThePortAndDrainsWithinTheGrace() throws IOException {
        String dockerfile = Files.readString(DOCKERFILE);
        Matcher user = Pattern.compile("(?m)^USER (\\d+)").matcher(dockerfile);
        assertThat(user.find()).as("a numeric USER").isTrue();
        assertThat(Integer.parseInt(user.group(1))).isPositive();
        assertThat(dockerfile).contains("EXPOSE " + PORT)
                .contains("\"com.monkeycoder.daemon.HealthProbe\", \"/health\"")
                .contains("CMD [\"daemon\", \"run\", \"--mode\", \"gateway\"]")
                .contains("\"-XX:+UseSerialGC\", \"-Xmx128m\"")
                .contains("MONKEY_CODER_HOME=/var/lib/monkey-coder");
        Matcher drain = Pattern.compile("MONKEY_CODER_DRAIN_TIMEOUT=(\\d+)").matcher(dockerfile);
        assertThat(drain.find()).isTrue();
        assertThat(Integer.parseInt(drain.group(1))).isLessThan(30);
    }

    @Test
    void theNginxFileIsTheOneTheTopologyTestRuns() throws IOException {
        String deployed = Files.readString(DEPLOY.resolve("nginx.conf"));
        assertThat(TopologyTest.DEPLOY_NGINX.normalize().toAbsolutePath())
                .isEqualTo(DEPLOY.resolve("nginx.conf").normalize().toAbsolutePath());
        String templated = TopologyTest.nginxConfig(deployed, new int[]{1, 2, 3}, 4);
        assertThat(TopologyTest.withoutTemplated(templated)).isEqualTo(TopologyTest.withoutTemplated(deployed));
        assertThat(deployed).contains("proxy_buffering off;").contains("proxy_next_upstream error timeout;")
                .doesNotContainPattern("proxy_next_upstream [^;]*non_idempotent").contains("keepalive_timeout 4s;");
        // Idle pooled connections close before a draining replica closes its port.
        assertThat(4).isLessThan(Integer.parseInt(ConfigKey.DRAIN_PAUSE_SECONDS.defaultValue()));
    }
}

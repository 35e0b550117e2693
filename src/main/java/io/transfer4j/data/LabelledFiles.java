package io.transfer4j.data;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.transfer4j.util.UserException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Which files a labelled data set of files holds, whatever the files are (images, audio): a
 * folder with one sub-folder per class, or a CSV with a path column (relative to the CSV's
 * folder), a label column and optionally a group column. Decoding is the reader's of each
 * modality; listing, labels and the messages about them are written here once.
 *
 * @param groups one group per file for the bias audit, or null when none was asked for
 */
public record LabelledFiles(String source, List<Path> files, List<String> labels, List<String> groups) {

    /** What a modality's files are: how to recognise one, and how to name them in messages. */
    public record Kind(Set<String> extensions, String noun, String columnOption) {
        public boolean accepts(Path p) {
            String n = p.getFileName().toString();
            int dot = n.lastIndexOf('.');
            return dot > 0 && extensions.contains(n.substring(dot + 1).toLowerCase(Locale.ROOT));
        }

        /** "images (.jpg, .png)" */
        String described() {
            return noun + "s (" + String.join(", ", extensions.stream().sorted().map(e -> "." + e).toList()) + ")";
        }
    }

    /** Every file of {@code kind} in the class sub-folders of {@code dir}, labelled by its sub-folder, in name order. */
    public static LabelledFiles folder(Path dir, Kind kind) {
        List<Path> files = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        try (Stream<Path> classes = Files.list(dir)) {
            for (Path c : classes.filter(Files::isDirectory).sorted().toList()) {
                for (Path f : search(c, kind)) {
                    files.add(f);
                    labels.add(c.getFileName().toString());
                }
            }
        } catch (IOException e) {
            throw new UserException("cannot list " + dir + ": " + e.getMessage());
        }
        if (files.isEmpty()) {
            throw new UserException(dir + " has no class sub-folders with " + kind.described() + "; put each class's "
                    + kind.noun() + "s in a sub-folder named after the class");
        }
        return new LabelledFiles(dir.toString(), files, labels, null);
    }

    /** Every file of {@code kind} under {@code dir}, recursively, in name order. */
    public static List<Path> search(Path dir, Kind kind) {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).filter(kind::accepts).sorted().toList();
        } catch (IOException e) {
            throw new UserException("cannot list " + dir + ": " + e.getMessage());
        }
    }

    /** Whether {@code dir} (or a sub-folder of it) holds a file of {@code kind}. */
    public static boolean holds(Path dir, Kind kind) {
        try (Stream<Path> s = Files.walk(dir, 2)) {
            return s.filter(Files::isRegularFile).anyMatch(kind::accepts);
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The files a CSV lists in {@code pathColumn}, with their labels when {@code labelled} (else
     * the label "") and their groups when {@code groupColumn} is given.
     */
    public static LabelledFiles csv(Path file, Kind kind, String pathColumn, String labelColumn, String groupColumn, boolean labelled) {
        List<Path> files = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        List<String> groups = labelled && groupColumn != null ? new ArrayList<>() : null;
        CsvMapper mapper = new CsvMapper();
        mapper.enable(CsvParser.Feature.TRIM_SPACES);
        try (MappingIterator<Map<String, String>> it = mapper.readerFor(Map.class)
                .with(CsvSchema.emptySchema().withHeader()).readValues(Files.newBufferedReader(file, StandardCharsets.UTF_8))) {
            int row = 1;
            while (it.hasNext()) {
                Map<String, String> r = it.next();
                row++;
                if (row == 2) {
                    List<String> needed = new ArrayList<>(labelled ? List.of(pathColumn, labelColumn) : List.of(pathColumn));
                    if (groups != null) {
                        needed.add(groupColumn);
                    }
                    for (String col : needed) {
                        if (!r.containsKey(col)) {
                            throw new UserException(file + " has no column '" + col + "' (columns: " + r.keySet()
                                    + "); name the columns with " + kind.columnOption() + ", --label-column and --group-column");
                        }
                    }
                }
                String p = r.get(pathColumn);
                String l = labelled ? r.get(labelColumn) : "";
                if (p == null || p.isBlank() || (labelled && (l == null || l.isBlank()))) {
                    throw new UserException(file + " row " + row + " has an empty " + pathColumn + " or " + labelColumn + "; fill or remove it");
                }
                files.add(Path.of(p).isAbsolute() ? Path.of(p) : file.toAbsolutePath().getParent().resolve(p).normalize());
                labels.add(l);
                if (groups != null) {
                    String g = r.get(groupColumn);
                    if (g == null || g.isBlank()) {
                        throw new UserException(file + " row " + row + " has an empty " + groupColumn + "; give every "
                                + kind.noun() + " a group or drop --group-column");
                    }
                    groups.add(g);
                }
            }
        } catch (java.nio.charset.MalformedInputException e) {
            throw new UserException(file + " is not valid UTF-8; re-save it as UTF-8");
        } catch (IOException e) {
            throw new UserException("cannot read " + file + ": " + e.getMessage());
        }
        if (files.isEmpty()) {
            throw new UserException(file + " lists no " + kind.noun() + "s; add rows of " + pathColumn + "," + labelColumn);
        }
        return new LabelledFiles(file.toString(), files, labels, groups);
    }

    /**
     * Files to classify, unlabelled: files given directly, folders searched recursively for
     * files of {@code kind}, and the path column of CSVs.
     */
    public static List<Path> unlabelled(List<Path> paths, Kind kind, String pathColumn) {
        List<Path> files = new ArrayList<>();
        for (Path p : paths) {
            if (!Files.exists(p)) {
                throw new UserException(kind.noun() + " input " + p + " does not exist; check the path");
            }
            if (Files.isDirectory(p)) {
                files.addAll(search(p, kind));
            } else if (p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv")) {
                files.addAll(csv(p, kind, pathColumn, null, null, false).files());
            } else {
                files.add(p);
            }
        }
        if (files.isEmpty()) {
            throw new UserException("no " + kind.described() + " in " + paths + "; give " + kind.noun() + " files or a folder of them");
        }
        return files;
    }

    /** The column names of a CSV's header line (empty when it cannot be read). */
    public static Set<String> csvHeader(Path file) {
        try (var r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String first = r.readLine();
            return first == null ? Set.of() : new HashSet<>(List.of(first.replace("\"", "").trim().split("\\s*,\\s*")));
        } catch (IOException e) {
            return Set.of();
        }
    }

    /** The first listed path of a CSV's {@code pathColumn}, for telling image CSVs from audio ones; null when none. */
    public static Path firstListed(Path file, String pathColumn) {
        CsvMapper mapper = new CsvMapper();
        try (MappingIterator<Map<String, String>> it = mapper.readerFor(Map.class)
                .with(CsvSchema.emptySchema().withHeader()).readValues(Files.newBufferedReader(file, StandardCharsets.UTF_8))) {
            if (!it.hasNext()) {
                return null;
            }
            String p = it.next().get(pathColumn);
            return p == null || p.isBlank() ? null : Path.of(p.trim());
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}

package io.transfer4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.transfer4j.util.UserException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * A run described in YAML: keys are the command's long option names without dashes
 * ({@code strategy: lora}, {@code lr: 1e-3}, {@code data: reviews.csv}). Values in the file become
 * the options' defaults, so anything also given on the command line wins. {@link #write} saves the
 * resolved options of a run in the same form, so the file can be run again.
 */
final class RunFile implements CommandLine.IDefaultValueProvider {
    private static final YAMLMapper YAML = new YAMLMapper();
    private final Map<String, String> values;

    private RunFile(Map<String, String> values) {
        this.values = values;
    }

    static RunFile read(Path file, CommandSpec spec) {
        if (!Files.isRegularFile(file)) {
            throw new UserException("config file " + file + " does not exist; give a YAML file of option: value lines");
        }
        JsonNode root;
        try {
            root = YAML.readTree(file.toFile());
        } catch (IOException e) {
            throw new UserException(file + " is not valid YAML (" + e.getMessage().lines().findFirst().orElse("") + ")");
        }
        if (root == null || !root.isObject()) {
            throw new UserException(file + " must be a YAML mapping of option names to values, e.g. 'strategy: lora'");
        }
        Map<String, String> values = new LinkedHashMap<>();
        List<String> unknown = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            if (spec.findOption("--" + e.getKey()) == null || e.getKey().equals("config")) {
                unknown.add(e.getKey());
                continue;
            }
            JsonNode v = e.getValue();
            values.put("--" + e.getKey(), v.isTextual() ? v.asText() : v.toString());
        }
        if (!unknown.isEmpty()) {
            throw new UserException(file + " has keys that are not options of `" + spec.name() + "`: " + unknown
                    + "; see `" + spec.name() + " --help` (write option names without the leading --)");
        }
        return new RunFile(values);
    }

    @Override
    public String defaultValue(ArgSpec arg) {
        if (arg instanceof OptionSpec o) {
            return values.get(o.longestName());
        }
        return null;
    }

    /** The effective value of every option of the command, as YAML. */
    static byte[] write(CommandSpec spec) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (OptionSpec o : spec.options()) {
            String name = o.longestName();
            if (o.usageHelp() || o.versionHelp() || name.equals("--config") || name.equals("--resume")) {
                continue;
            }
            Object v = o.getValue();
            if (v != null) {
                out.put(name.substring(2), v instanceof Path || v instanceof Float || v instanceof Double ? v.toString() : v);
            }
        }
        try {
            return YAML.writeValueAsBytes(out);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}

/*
 * s3lint test oracle: which configuration file Flink's GlobalConfiguration reads from a conf directory.
 *
 * Usage: java -cp <flink lib jars>:<classes> FlinkConfChoice <conf-dir> <out.json>
 *
 * Writes one JSON object:
 *   {"flink_version": "...",                        EnvironmentInformation.getVersion()
 *    "files": ["config.yaml", ...],                 the configuration files present in <conf-dir>
 *    "entries": [{"key": ..., "value": ...}, ...],  sorted, from Configuration.toMap(), when Flink loaded it
 *    "error": "...",                                the exception chain's messages, when Flink refused
 *    "log": ["WARN ...", ...]}                      what Flink logged at WARN or above while loading
 * Paths in messages are written relative to the working directory (run it from the repository root).
 */

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

public final class FlinkConfChoice {

    public static void main(String[] args) throws Exception {
        String dir = args[0];
        PrintStream realOut = System.out;
        ByteArrayOutputStream logBuffer = new ByteArrayOutputStream();
        System.setOut(new PrintStream(logBuffer, true, "UTF-8"));
        StringBuilder json = new StringBuilder("{\n");
        String cwd = new File("").getAbsolutePath() + File.separator;
        try {
            Object version =
                    Class.forName("org.apache.flink.runtime.util.EnvironmentInformation")
                            .getMethod("getVersion")
                            .invoke(null);
            json.append("  \"flink_version\": ").append(quote(String.valueOf(version))).append(",\n");
            List<String> files = new ArrayList<>();
            for (String name : new String[] {"config.yaml", "flink-conf.yaml"}) {
                if (new File(dir, name).isFile()) {
                    files.add(quote(name));
                }
            }
            json.append("  \"files\": [").append(String.join(", ", files)).append("],\n");
            try {
                Object conf =
                        Class.forName("org.apache.flink.configuration.GlobalConfiguration")
                                .getMethod("loadConfiguration", String.class)
                                .invoke(null, dir);
                @SuppressWarnings("unchecked")
                Map<String, String> map =
                        (Map<String, String>) conf.getClass().getMethod("toMap").invoke(conf);
                json.append("  \"entries\": [");
                boolean first = true;
                for (Map.Entry<String, String> e : new TreeMap<>(map).entrySet()) {
                    json.append(first ? "\n" : ",\n");
                    first = false;
                    json.append("    {\"key\": ").append(quote(e.getKey()));
                    json.append(", \"value\": ").append(quote(e.getValue())).append("}");
                }
                json.append(first ? "],\n" : "\n  ],\n");
            } catch (java.lang.reflect.InvocationTargetException wrapped) {
                StringBuilder message = new StringBuilder();
                for (Throwable t = wrapped.getCause(); t != null; t = t.getCause()) {
                    if (message.length() > 0) {
                        message.append(" / ");
                    }
                    message.append(t.getClass().getSimpleName()).append(": ").append(t.getMessage());
                }
                json.append("  \"error\": ").append(quote(message.toString().replace(cwd, ""))).append(",\n");
            }
            System.out.flush();
            json.append("  \"log\": [");
            boolean first = true;
            for (String line : logBuffer.toString("UTF-8").split("\r?\n")) {
                if (line.contains("WARN") || line.contains("ERROR")) {
                    // Drop the timestamp and thread that log4j's default layout puts first.
                    int at = Math.max(line.indexOf("WARN"), line.indexOf("ERROR"));
                    String shown = line.substring(at).replace(cwd, "");
                    json.append(first ? "\n" : ",\n");
                    first = false;
                    json.append("    ").append(quote(shown));
                }
            }
            json.append(first ? "]\n}\n" : "\n  ]\n}\n");
        } finally {
            System.setOut(realOut);
        }
        Files.write(Paths.get(args[1]), json.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c == '\n') {
                b.append("\\n");
            } else if (c == '\r') {
                b.append("\\r");
            } else if (c == '\t') {
                b.append("\\t");
            } else if (c < 0x20) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }
}

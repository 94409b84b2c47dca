/*
 * s3lint test oracle: what Flink's own GlobalConfiguration yields for one configuration directory.
 *
 * Usage: java -cp <flink lib jars>:<classes> FlinkConfOracle <conf-dir> <out.json> [<conf-dir> <out.json> ...]
 *
 * (Run one directory per JVM for golden files: Flink's YAML dumper numbers anchors (&id001) with a counter
 * that lives as long as the JVM.) Writes one JSON object to each <out.json>:
 *   {"entries": [{"key": ..., "value": ...}, ...],    sorted by key, values from Configuration.toMap()
 *    "warnings": [{"line": N, "message": ...}, ...]}   Flink's legacy-reader WARN lines for this file
 * or, when Flink refuses the file:
 *   {"error": "...", "line": L, "column": C,           the error chain's messages; line/column (1-based) of the
 *    "context_line": L2, "context_column": C2}         YAML problem mark and of the context mark ("while
 *                                                      scanning ...") as printed by Flink; equal when there is
 *                                                      one mark, 0 when there is none
 *
 * Flink logs through log4j2's default console configuration, which writes to System.out; System.out is
 * swapped for a buffer before Flink is touched so that the warnings can be collected from it.
 */

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

public final class FlinkConfOracle {

    private static final Pattern WARNING =
            Pattern.compile("in configuration file .*?:(\\d+): (.*)$");

    /** A snakeyaml-engine mark as Flink prints it (1-based line and column). */
    private static final Pattern MARK = Pattern.compile(" in reader, line (\\d+), column (\\d+)");

    public static void main(String[] args) throws Exception {
        PrintStream realOut = System.out;
        ByteArrayOutputStream logBuffer = new ByteArrayOutputStream();
        System.setOut(new PrintStream(logBuffer, true, "UTF-8"));
        try {
            for (int i = 0; i + 1 < args.length; i += 2) {
                logBuffer.reset();
                String json = load(args[i], logBuffer);
                Files.write(Paths.get(args[i + 1]), json.getBytes(StandardCharsets.UTF_8));
            }
        } finally {
            System.setOut(realOut);
        }
    }

    private static String load(String dir, ByteArrayOutputStream logBuffer) throws Exception {
        StringBuilder json = new StringBuilder();
        try {
            Object conf =
                    Class.forName("org.apache.flink.configuration.GlobalConfiguration")
                            .getMethod("loadConfiguration", String.class)
                            .invoke(null, dir);
            @SuppressWarnings("unchecked")
            Map<String, String> map = (Map<String, String>) conf.getClass().getMethod("toMap").invoke(conf);
            TreeMap<String, String> sorted = new TreeMap<>(map);
            json.append("{\n  \"entries\": [");
            boolean first = true;
            for (Map.Entry<String, String> e : sorted.entrySet()) {
                json.append(first ? "\n" : ",\n");
                first = false;
                json.append("    {\"key\": ").append(quote(e.getKey()));
                json.append(", \"value\": ").append(quote(e.getValue())).append("}");
            }
            json.append(first ? "],\n" : "\n  ],\n");
            System.out.flush();
            json.append("  \"warnings\": [");
            first = true;
            for (String line : logBuffer.toString("UTF-8").split("\r?\n")) {
                Matcher m = WARNING.matcher(line);
                if (line.contains("WARN") && m.find()) {
                    json.append(first ? "\n" : ",\n");
                    first = false;
                    json.append("    {\"line\": ").append(m.group(1));
                    json.append(", \"message\": ").append(quote(m.group(2))).append("}");
                }
            }
            json.append(first ? "]\n}\n" : "\n  ]\n}\n");
        } catch (java.lang.reflect.InvocationTargetException wrapped) {
            Throwable e = wrapped.getCause();
            StringBuilder message = new StringBuilder();
            List<int[]> marks = new ArrayList<>();
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (message.length() > 0) {
                    message.append(" / ");
                }
                message.append(t.getClass().getSimpleName()).append(": ").append(t.getMessage());
                Matcher m = MARK.matcher(String.valueOf(t.getMessage()));
                while (m.find()) {
                    marks.add(new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))});
                }
            }
            // snakeyaml prints the context mark ("while scanning ...") first and the problem mark last.
            int[] problem = marks.isEmpty() ? new int[] {0, 0} : marks.get(marks.size() - 1);
            int[] context = marks.isEmpty() ? new int[] {0, 0} : marks.get(0);
            json.append("{\n  \"error\": ").append(quote(message.toString().trim()));
            json.append(",\n  \"line\": ").append(problem[0]);
            json.append(",\n  \"column\": ").append(problem[1]);
            json.append(",\n  \"context_line\": ").append(context[0]);
            json.append(",\n  \"context_column\": ").append(context[1]).append("\n}\n");
        }
        return json.toString();
    }

    private static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"':
                    b.append("\\\"");
                    break;
                case '\\':
                    b.append("\\\\");
                    break;
                case '\n':
                    b.append("\\n");
                    break;
                case '\r':
                    b.append("\\r");
                    break;
                case '\t':
                    b.append("\\t");
                    break;
                default:
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
            }
        }
        return b.append('"').toString();
    }
}

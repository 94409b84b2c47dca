/*
 * s3lint test oracle: what Spark's own loader yields for a spark-defaults.conf.
 *
 * Usage: java -cp <pyspark jars>:<classes> SparkConfOracle <file> <out.json> [<file> <out.json> ...]
 *
 * Calls org.apache.spark.util.Utils.getPropertiesFromFile(file) — what spark-submit calls for
 * spark-defaults.conf / --properties-file: java.util.Properties.load over a UTF-8 InputStreamReader, then
 * Utils.trimExceptCRLF on every value. Writes one JSON object to each <out.json>:
 *   {"entries": [{"key": ..., "value": ...}, ...],   sorted by key (a lone surrogate is written as U+FFFD)
 *    "spark_submit_keys": [...],                      the keys SparkSubmitArguments keeps (--properties-file)
 *    "spark_version": "..."}
 * or, when Spark fails to load the file:
 *   {"error": "...", "error_class": "...", "spark_version": "..."}
 */

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.Map;
import java.util.TreeMap;

public final class SparkConfOracle {

    public static void main(String[] args) throws Exception {
        for (int i = 0; i + 1 < args.length; i += 2) {
            String json = load(args[i]);
            Files.write(Paths.get(args[i + 1]), json.getBytes(StandardCharsets.UTF_8));
        }
    }

    private static String load(String file) {
        String version = org.apache.spark.package$.MODULE$.SPARK_VERSION();
        StringBuilder json = new StringBuilder();
        try {
            scala.collection.Map<String, String> props = org.apache.spark.util.Utils.getPropertiesFromFile(file);
            Map<String, String> map = scala.collection.JavaConverters.mapAsJavaMapConverter(props).asJava();
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
            json.append("  \"spark_submit_keys\": [");
            first = true;
            for (String key : new java.util.TreeSet<>(submitKeys(file))) {
                json.append(first ? "" : ", ").append(quote(key));
                first = false;
            }
            json.append("],\n");
        } catch (Throwable t) {
            Throwable cause = t;
            while (cause.getCause() != null && !(cause instanceof IllegalArgumentException)) {
                cause = cause.getCause();
            }
            json.append("{\n  \"error\": ").append(quote(String.valueOf(cause.getMessage()))).append(",\n");
            json.append("  \"error_class\": ").append(quote(cause.getClass().getName())).append(",\n");
        }
        json.append("  \"spark_version\": ").append(quote(version)).append("\n}\n");
        return json.toString();
    }

    /**
     * The keys spark-submit keeps from the file: SparkSubmitArguments with `--properties-file FILE` (and an empty
     * environment) drops every key that does not start with `spark.` ("Ignoring non-Spark config property").
     */
    private static java.util.Set<String> submitKeys(String file) throws Exception {
        java.util.List<String> args = java.util.Arrays.asList("--properties-file", file, "--class", "Oracle", "oracle.jar");
        scala.collection.Seq<String> seq = scala.collection.JavaConverters.asScalaBufferConverter(args).asScala().toSeq();
        scala.collection.immutable.Map<String, String> env = scala.collection.immutable.Map$.MODULE$.empty();
        Object parsed = org.apache.spark.deploy.SparkSubmitArguments.class.getConstructors()[0].newInstance(seq, env);
        @SuppressWarnings("unchecked")
        scala.collection.Map<String, String> props =
                (scala.collection.Map<String, String>) parsed.getClass().getMethod("sparkProperties").invoke(parsed);
        return scala.collection.JavaConverters.mapAsJavaMapConverter(props).asJava().keySet();
    }

    /** A JSON string: control characters, quotes, backslashes and lone surrogates escaped, the rest as is. */
    private static String quote(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean lone = Character.isSurrogate(c)
                    && !(Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1)))
                    && !(Character.isLowSurrogate(c) && i > 0 && Character.isHighSurrogate(s.charAt(i - 1)));
            if (lone) {
                // A Java string may hold a lone surrogate (from a \\uD83D escape); JSON and Rust strings cannot:
                // written as U+FFFD, which is what s3lint's reader makes of it.
                out.append("\\ufffd");
            } else if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20 || c == 0x7f || c == '\ufeff') {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }
}

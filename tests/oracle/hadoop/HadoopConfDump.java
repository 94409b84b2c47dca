// Oracle for s3lint's Hadoop XML reader: loads each configuration file given on the command line with
// the real org.apache.hadoop.conf.Configuration and writes what it yields, as JSON, next to the file
// (<name>.xml -> <name>.expected.json). Run through run.sh, which fixes the JVM's environment.

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.util.VersionInfo;

public class HadoopConfDump {
    public static void main(String[] args) throws Exception {
        for (String file : args) {
            String json = dump(file);
            String out = file.replaceFirst("\\.xml$", "") + ".expected.json";
            Files.write(Paths.get(out), json.getBytes(StandardCharsets.UTF_8));
        }
    }

    static String dump(String file) {
        PrintStream originalErr = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        StringBuilder sb = new StringBuilder();
        sb.append("{\n  \"hadoop_version\": ").append(quote(VersionInfo.getVersion()));
        sb.append(",\n  \"file\": ").append(quote(file));
        String body;
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            Configuration conf = new Configuration(false);
            conf.addResource(new Path(file));
            List<String> keys = new ArrayList<>();
            for (Map.Entry<String, String> e : conf) {
                keys.add(e.getKey());
            }
            Collections.sort(keys);
            Set<String> finals = conf.getFinalParameters();
            StringBuilder entries = new StringBuilder();
            for (String key : keys) {
                String value = conf.get(key);
                entries.append(entries.length() == 0 ? "\n" : ",\n");
                entries.append("    { \"key\": ").append(quote(key));
                entries.append(", \"value\": ").append(quote(value));
                entries.append(", \"final\": ").append(finals.contains(key)).append(" }");
            }
            List<String> finalWithoutValue = new ArrayList<>();
            for (String f : finals) {
                if (!keys.contains(f)) {
                    finalWithoutValue.add(f);
                }
            }
            Collections.sort(finalWithoutValue);
            body = ",\n  \"entries\": [" + entries + (entries.length() == 0 ? "]" : "\n  ]")
                + ",\n  \"final_without_value\": " + list(finalWithoutValue);
        } catch (Throwable t) {
            String message = t.getMessage() != null ? t.getMessage() : t.toString();
            body = ",\n  \"error_class\": " + quote(t.getClass().getName()) + ",\n  \"error\": " + quote(message);
        } finally {
            System.err.flush();
            System.setErr(originalErr);
        }
        List<String> log = new ArrayList<>();
        for (String line : captured.toString(StandardCharsets.UTF_8).split("\n")) {
            if (line.startsWith("WARN ") || line.startsWith("INFO ")) {
                log.add(line);
            }
        }
        sb.append(body).append(",\n  \"log\": ").append(list(log)).append("\n}\n");
        return sb.toString();
    }

    static String list(List<String> items) {
        if (items.isEmpty()) {
            return "[]";
        }
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < items.size(); i++) {
            sb.append(i == 0 ? "\n    " : ",\n    ").append(quote(items.get(i)));
        }
        return sb.append("\n  ]").toString();
    }

    static String quote(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"': sb.append("\\\""); break;
                case '\\': sb.append("\\\\"); break;
                case '\n': sb.append("\\n"); break;
                case '\r': sb.append("\\r"); break;
                case '\t': sb.append("\\t"); break;
                default:
                    if (c < 0x20 || (c >= 0x7f && c < 0xa0)) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
            }
        }
        return sb.append('"').toString();
    }
}

// Trace harness for the s3lint diagnose corpus (fixtures/diagnose/genuine/flink/).
//
// Does what a job does with a filesystem URI, through the real Hadoop or Flink classes on the classpath,
// and on failure prints one log4j-style ERROR line followed by the exception's own printStackTrace()
// output, unaltered. Exit code: 0 = the operation worked (no trace), 1 = it failed (trace printed).
//
//   hadoop URI OP [key=value ...]   new Configuration(); conf.set(key, value) for each pair; then OP:
//                                     status  FileSystem.get(uri, conf).getFileStatus(path)
//                                     list    FileSystem.get(uri, conf).listStatus(path)
//                                     create  FileSystem.get(uri, conf).create(path) + write + close
//                                     fc      FileContext.getFileContext(uri, conf).getFileStatus(path)
//   flink URI OP                    what Flink's entrypoints do: GlobalConfiguration.loadConfiguration()
//                                   (FLINK_CONF_DIR), PluginUtils.createPluginManagerFromRootFolder(conf)
//                                   (FLINK_PLUGINS_DIR), FileSystem.initialize(conf, pluginManager); then
//                                   OP on new Path(URI).getFileSystem(): status | list | create | get
//   flink-usercode UDF_JAR OTHER_JAR CLASS
//                                   serializes CLASS (loaded from UDF_JAR) into a StreamConfig the way the
//                                   client does, then reads it back like a task does, through a child-first
//                                   Flink user-code classloader over OTHER_JAR only.
//   user-parse VALUE                user code parsing a record field with Integer.parseInt.
package s3lint.oracle;

import java.io.PrintStream;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.text.SimpleDateFormat;
import java.util.Date;

public class TraceHarness {
    static final PrintStream OUT = System.err;

    static void error(String msg) {
        String ts = new SimpleDateFormat("yyyy-MM-dd HH:mm:ss,SSS").format(new Date());
        OUT.println(ts + " ERROR " + TraceHarness.class.getName() + " [main] - " + msg);
        OUT.flush();
    }

    public static void main(String[] args) {
        String mode = args[0];
        try {
            switch (mode) {
                case "hadoop":
                    HadoopRoute.run(args);
                    break;
                case "flink":
                    FlinkRoute.run(args);
                    break;
                case "flink-usercode":
                    FlinkUserCode.run(args);
                    break;
                case "user-parse":
                    UserParse.run(args);
                    break;
                default:
                    throw new IllegalArgumentException("unknown mode " + mode);
            }
        } catch (Throwable t) {
            error("Job failed: " + args[0] + " " + (args.length > 1 ? args[1] : "") + (args.length > 2 ? " " + args[2] : ""));
            t.printStackTrace();
            System.err.flush();
            System.exit(1);
        }
        System.out.println("OK " + String.join(" ", args));
        System.exit(0);
    }
}

class HadoopRoute {
    static void run(String[] args) throws Exception {
        URI uri = new URI(args[1]);
        String op = args[2];
        org.apache.hadoop.conf.Configuration conf = new org.apache.hadoop.conf.Configuration();
        for (int i = 3; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            String k = args[i].substring(0, eq), v = args[i].substring(eq + 1);
            conf.set(k, v);
        }
        org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(uri);
        if (op.equals("fc")) {
            org.apache.hadoop.fs.FileContext fc = org.apache.hadoop.fs.FileContext.getFileContext(uri, conf);
            fc.getFileStatus(path);
            return;
        }
        org.apache.hadoop.fs.FileSystem fs = org.apache.hadoop.fs.FileSystem.get(uri, conf);
        switch (op) {
            case "status":
                fs.getFileStatus(path);
                break;
            case "list":
                fs.listStatus(path);
                break;
            case "create":
                try (org.apache.hadoop.fs.FSDataOutputStream out = fs.create(path, true)) {
                    out.write("hello\n".getBytes("UTF-8"));
                }
                break;
            default:
                throw new IllegalArgumentException("unknown op " + op);
        }
    }
}

class FlinkRoute {
    static void run(String[] args) throws Exception {
        String confDir = System.getenv("FLINK_CONF_DIR");
        org.apache.flink.configuration.Configuration conf =
                org.apache.flink.configuration.GlobalConfiguration.loadConfiguration(confDir);
        org.apache.flink.core.plugin.PluginManager pm =
                org.apache.flink.core.plugin.PluginUtils.createPluginManagerFromRootFolder(conf);
        org.apache.flink.core.fs.FileSystem.initialize(conf, pm);
        org.apache.flink.core.fs.Path path = new org.apache.flink.core.fs.Path(args[1]);
        String op = args[2];
        if (op.equals("get")) {
            org.apache.flink.core.fs.FileSystem.get(new URI(args[1]));
            return;
        }
        org.apache.flink.core.fs.FileSystem fs = path.getFileSystem();
        switch (op) {
            case "status":
                fs.getFileStatus(path);
                break;
            case "list":
                fs.listStatus(path);
                break;
            case "create":
                try (org.apache.flink.core.fs.FSDataOutputStream out =
                        fs.create(path, org.apache.flink.core.fs.FileSystem.WriteMode.OVERWRITE)) {
                    out.write("hello\n".getBytes("UTF-8"));
                }
                break;
            default:
                throw new IllegalArgumentException("unknown op " + op);
        }
    }
}

class FlinkUserCode {
    static void run(String[] args) throws Exception {
        URL udfJar = new java.io.File(args[1]).toURI().toURL();
        URL otherJar = new java.io.File(args[2]).toURI().toURL();
        ClassLoader parent = TraceHarness.class.getClassLoader();
        org.apache.flink.configuration.Configuration taskConf = new org.apache.flink.configuration.Configuration();
        // Client side: the job's jar is on the classloader that builds the job graph.
        try (URLClassLoader clientLoader = new URLClassLoader(new URL[] {udfJar}, parent)) {
            Object udf = Class.forName(args[3], true, clientLoader).getDeclaredConstructor().newInstance();
            org.apache.flink.util.InstantiationUtil.writeObjectToConfig(
                    udf, taskConf, org.apache.flink.streaming.api.graph.StreamConfig.SERIALIZED_UDF);
        }
        // Task side: the user-code classloader was built over a different jar.
        ClassLoader userLoader = org.apache.flink.util.FlinkUserCodeClassLoaders.childFirst(
                new URL[] {otherJar}, parent, new String[] {"java.", "org.apache.flink.", "org.slf4j"},
                t -> {}, true);
        new org.apache.flink.streaming.api.graph.StreamConfig(taskConf).getStreamOperatorFactory(userLoader);
    }
}

class UserParse {
    static int parseField(String line) {
        String[] fields = line.split(",");
        return Integer.parseInt(fields[1].trim());
    }

    static void run(String[] args) {
        parseField(args[1]);
    }
}

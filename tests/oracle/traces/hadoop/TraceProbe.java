import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.log4j.Logger;

/**
 * Runs one filesystem operation through org.apache.hadoop.fs.FileSystem, the way a job would, and on failure
 * prints what a job log shows: one log4j ERROR line, then the exception's own printStackTrace output.
 *
 *   TraceProbe OP URI [--no-defaults] [key=value]...
 *
 * OP: ls (listStatus), stat (getFileStatus), read (open and read to the end), write (create, write a line,
 * close), mkdir (mkdirs), open-many:N (open N streams on URI, read one byte from each, keep them all open),
 * parse-count (read the object and Integer.parseInt its content: the user code of a job).
 * --no-defaults: start from new Configuration(false) instead of new Configuration().
 *
 * Exit 0 and one "OK ..." line on success, exit 1 and the trace on failure. Everything goes to stdout;
 * Hadoop's own logging goes where log4j.properties says (a file), not into the trace.
 */
public final class TraceProbe {
  private static final Logger LOG = Logger.getLogger(TraceProbe.class);

  public static void main(String[] args) {
    if (args.length < 2) {
      System.out.println("usage: TraceProbe OP URI [--no-defaults] [key=value]...");
      System.exit(2);
    }
    String op = args[0];
    String uri = args[1];
    int first = 2;
    boolean defaults = true;
    if (args.length > 2 && args[2].equals("--no-defaults")) {
      // what an embedding program does with new Configuration(false): no core-default.xml, so neither
      // hadoop.tmp.dir nor fs.s3a.buffer.dir has a value unless set
      defaults = false;
      first = 3;
    }
    Configuration conf = new Configuration(defaults);
    for (int i = first; i < args.length; i++) {
      int eq = args[i].indexOf('=');
      if (eq <= 0) {
        System.out.println("not key=value: " + args[i]);
        System.exit(2);
      }
      conf.set(args[i].substring(0, eq), args[i].substring(eq + 1));
    }
    try {
      String result = run(op, new Path(uri), conf);
      System.out.println("OK " + op + " " + uri + ": " + result);
      System.out.flush();
      System.exit(0);
    } catch (Throwable t) {
      LOG.error("Job failed: " + op + " " + uri);
      t.printStackTrace(System.out);
      System.out.flush();
      System.exit(1);
    }
  }

  private static String run(String op, Path path, Configuration conf) throws Exception {
    FileSystem fs = path.getFileSystem(conf);
    if (op.equals("ls")) {
      FileStatus[] entries = fs.listStatus(path);
      return entries.length + " entries";
    } else if (op.equals("stat")) {
      FileStatus status = fs.getFileStatus(path);
      return (status.isDirectory() ? "directory" : status.getLen() + " bytes");
    } else if (op.equals("read")) {
      long total = 0;
      byte[] buffer = new byte[8192];
      try (InputStream in = fs.open(path)) {
        for (int n; (n = in.read(buffer)) > 0; ) {
          total += n;
        }
      }
      return total + " bytes read";
    } else if (op.equals("write")) {
      try (OutputStream out = fs.create(path, true)) {
        out.write("written by TraceProbe\n".getBytes(StandardCharsets.UTF_8));
      }
      return "written";
    } else if (op.equals("mkdir")) {
      return fs.mkdirs(path) ? "created" : "not created";
    } else if (op.startsWith("open-many:")) {
      int count = Integer.parseInt(op.substring("open-many:".length()));
      List<FSDataInputStream> open = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        FSDataInputStream in = fs.open(path);
        in.read();
        open.add(in);
      }
      for (FSDataInputStream in : open) {
        in.close();
      }
      return count + " streams opened";
    } else if (op.equals("parse-count")) {
      byte[] content;
      try (FSDataInputStream in = fs.open(path)) {
        content = new byte[(int) fs.getFileStatus(path).getLen()];
        in.readFully(0, content);
      }
      int count = parseCount(new String(content, StandardCharsets.UTF_8));
      return "count " + count;
    }
    throw new IllegalArgumentException("unknown operation " + op);
  }

  /** User code: the object holds a record count written by an upstream job. */
  private static int parseCount(String text) {
    return Integer.parseInt(text.trim());
  }
}

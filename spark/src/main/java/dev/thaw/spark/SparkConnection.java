package dev.thaw.spark;

import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * A Spark context with Thaw's settings, opened only after the things that would otherwise fail late or obscurely
 * were checked: Java 17's module openings, a reachable master, executors that registered. What the user set (with
 * spark-submit's {@code --conf} or {@code spark.*} system properties) always wins over Thaw's defaults.
 */
public final class SparkConnection implements AutoCloseable {

    /** {@code --spark} without a value: the master spark-submit was given. */
    public static final String FROM_SUBMIT = "submit";

    private static final Pattern LOCAL = Pattern.compile("local(?:\\[(\\d+|\\*)(?:,\\d+)?])?");
    private static final long EXECUTOR_WAIT_MS = 60_000;

    private final JavaSparkContext context;
    private final int slots;

    private SparkConnection(JavaSparkContext context, int slots) {
        this.context = context;
        this.slots = slots;
    }

    /**
     * Connects to {@code master} ({@code local[N]}, {@code spark://HOST:PORT}, or {@link #FROM_SUBMIT}).
     *
     * @throws IllegalArgumentException one line naming the problem and the fix
     */
    public static SparkConnection open(String master, PrintWriter out) {
        JavaModules.checkOpenForSpark();
        SparkConf conf = new SparkConf().setAppName("thaw");
        if (!FROM_SUBMIT.equals(master)) {
            conf.setMaster(master);
        } else if (!conf.contains("spark.master")) {
            throw new IllegalArgumentException("--spark has no MASTER and this is not spark-submit: give one "
                    + "(--spark local[2], --spark spark://HOST:7077) or submit Thaw's Spark jar with spark-submit");
        }
        String url = conf.get("spark.master");
        boolean local = LOCAL.matcher(url).matches();
        if (!local) {
            checkReachable(url);
        } else {
            // else Spark binds to the machine's external interface, which a test machine or a laptop may not route
            conf.setIfMissing("spark.driver.host", "127.0.0.1").setIfMissing("spark.driver.bindAddress", "127.0.0.1")
                    .setIfMissing("spark.ui.enabled", "false");
        }
        conf.setIfMissing("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
                .setIfMissing("spark.kryo.registrator", "org.nd4j.kryo.Nd4jRegistrator")
                // a candidate is minutes of work: Spark's default wait for a data-local slot only delays it
                .setIfMissing("spark.locality.wait", "0s");
        out.printf("spark: connecting to %s%n", url);
        out.flush();
        JavaSparkContext context = new JavaSparkContext(conf);
        try {
            int slots = local ? localSlots(url) : clusterSlots(context, url, out);
            out.printf(Locale.ROOT, "spark: %s, %d task slot(s) (application %s)%n", url, slots,
                    context.sc().applicationId());
            out.flush();
            return new SparkConnection(context, slots);
        } catch (RuntimeException e) {
            context.close();
            throw e;
        }
    }

    /**
     * {@link #open}, then checks that every executor sees {@code shared} (the cache, the data, a sweep folder) at
     * the same path.
     */
    public static SparkConnection openChecked(String master, List<Path> shared, PrintWriter out) {
        SparkConnection spark = open(master, out);
        try {
            SharedPaths.check(spark.context(), spark.slots(), shared);
            return spark;
        } catch (RuntimeException e) {
            spark.close();
            throw e;
        }
    }

    public JavaSparkContext context() {
        return context;
    }

    /** Tasks the cluster runs at once (executor cores / {@code spark.task.cpus}). */
    public int slots() {
        return slots;
    }

    public String master() {
        return context.master();
    }

    @Override
    public void close() {
        context.close();
    }

    private static int localSlots(String url) {
        Matcher m = LOCAL.matcher(url);
        m.matches();
        String n = m.group(1);
        return n == null ? 1 : n.equals("*") ? Runtime.getRuntime().availableProcessors() : Integer.parseInt(n);
    }

    /**
     * Waits until executors registered and their number held still for a few seconds (workers join one by one),
     * then counts their cores. Spark itself would wait forever for executors that never come.
     */
    private static int clusterSlots(JavaSparkContext context, String url, PrintWriter out) {
        long deadline = System.currentTimeMillis() + EXECUTOR_WAIT_MS;
        int executors = 0;
        long stableSince = System.currentTimeMillis();
        while (System.currentTimeMillis() < deadline) {
            int now = context.sc().statusTracker().getExecutorInfos().length - 1; // the driver is listed too
            if (now != executors) {
                executors = now;
                stableSince = System.currentTimeMillis();
            } else if (executors > 0 && System.currentTimeMillis() - stableSince > 5_000) {
                break;
            }
            sleep(250);
        }
        if (executors <= 0) {
            throw new IllegalArgumentException("no Spark executor registered with " + url + " within "
                    + EXECUTOR_WAIT_MS / 1000 + " s: start workers, and ask for no more than they have "
                    + "(--executor-memory plus spark.executor.memoryOverhead, --executor-cores)");
        }
        // standalone executors take every core of their worker unless spark.executor.cores says; the default
        // parallelism is the executors' cores in all (but at least 2, hence the explicit setting first)
        int perExecutor = context.getConf().getInt("spark.executor.cores",
                Math.max(1, context.sc().defaultParallelism() / executors));
        int taskCpus = context.getConf().getInt("spark.task.cpus", 1);
        out.printf("spark: %d executor(s) of %d core(s)%n", executors, perExecutor);
        return Math.max(1, executors * (perExecutor / taskCpus));
    }

    /** A standalone master that does not answer is found now, not after Spark's minute of registration retries. */
    private static void checkReachable(String url) {
        if (!url.startsWith("spark://")) {
            return; // yarn, k8s: their own client reports problems
        }
        for (String hostPort : url.substring("spark://".length()).split(",")) {
            URI address = URI.create("spark://" + hostPort);
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(address.getHost(), address.getPort()), 5_000);
                return;
            } catch (Exception e) {
                // try the next master of a list; report when none answered
            }
        }
        throw new IllegalArgumentException("cannot reach the Spark master at " + url + ": start it "
                + "(org.apache.spark.deploy.master.Master, or sbin/start-master.sh) or fix --spark / --master");
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Spark executors", e);
        }
    }
}

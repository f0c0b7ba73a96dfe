package io.github.ucconnector.benchmark;

import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.TreeMap;

import javax.management.MBeanServer;
import javax.management.ObjectName;

/** The embedded broker's request counts by request type (from its JMX meters), to see what a system asks of Kafka. */
final class BrokerRequests {

    private BrokerRequests() {
    }

    static Map<String, Long> counts() {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        Map<String, Long> counts = new TreeMap<>();
        try {
            for (ObjectName name : server.queryNames(
                    new ObjectName("kafka.network:type=RequestMetrics,name=RequestsPerSec,*"), null)) {
                counts.merge(name.getKeyProperty("request"), (Long) server.getAttribute(name, "Count"), Long::sum);
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the broker's request meters", e);
        }
        return counts;
    }

    /** Requests of each type between two counts, per command; with the harness's own (load and outcome reader). */
    static Map<String, Double> perCommand(Map<String, Long> before, Map<String, Long> after, int commands) {
        Map<String, Double> each = new TreeMap<>();
        after.forEach((request, count) -> each.put(request,
                (count - before.getOrDefault(request, 0L)) / (double) commands));
        return each;
    }
}

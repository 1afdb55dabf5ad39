package dev.berth.bus.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * What every service loop measures (the same names for every service, told apart by the registry's
 * {@code service} tag): records processed and set aside per source and topic, records published per
 * topic, the time a unit takes to decide and to commit, and each source's consumer lag.
 */
public final class LoopMetrics {
    /** Measures nothing: a loop without a registry. */
    public static final LoopMetrics NONE = new LoopMetrics(new CompositeMeterRegistry());

    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();

    public LoopMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void processed(String source, String topic) {
        counter("berth.records.processed", "Records decided on, per source and topic", source, topic).increment();
    }

    public void setAside(String source, String topic) {
        counter("berth.records.set.aside", "Records set aside as dead letters (bad, unreadable or failing), per source and topic",
                source, topic).increment();
    }

    public void published(String topic, int count) {
        counter("berth.records.published", "Records handed to Kafka, per topic", "", topic).increment(count);
    }

    /** Time the pure core took on one unit (a batch, a tick or an input). */
    public void decided(String source, Duration took) {
        timer("berth.unit.decide", "Time the core took to decide one unit of work", source).record(took);
    }

    /** Time from handing a unit's records over until they (and the consumed offsets) were committed. */
    public void committed(Duration took) {
        timer("berth.unit.commit", "Time from handing a unit over until Kafka committed it (the transaction, or the acks)", "")
                .record(took);
    }

    /** Registers a source's consumer lag (records behind the partitions' ends), read when scraped. */
    public void lag(String source, Supplier<Number> lag) {
        Gauge.builder("berth.consumer.lag", lag).description("Records the source's consumer is behind its partitions' ends")
                .baseUnit("records").tag("source", source).register(registry);
    }

    private Counter counter(String name, String description, String source, String topic) {
        return counters.computeIfAbsent(name + '|' + source + '|' + topic, k -> {
            Counter.Builder b = Counter.builder(name).description(description).tag("topic", topic);
            if (!source.isEmpty()) b.tag("source", source);
            return b.register(registry);
        });
    }

    private Timer timer(String name, String description, String source) {
        return timers.computeIfAbsent(name + '|' + source, k -> {
            Timer.Builder b = Timer.builder(name).description(description).publishPercentileHistogram()
                    .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(30));
            if (!source.isEmpty()) b.tag("source", source);
            return b.register(registry);
        });
    }
}

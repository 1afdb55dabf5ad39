package dev.berth.cli;

import dev.berth.bus.BadRecordException;
import dev.berth.bus.BusConfig;
import dev.berth.bus.Envelope;
import dev.berth.bus.Json;
import dev.berth.bus.LogReader;
import dev.berth.bus.Topic;
import dev.berth.bus.contract.ConfigMapEvent;
import dev.berth.bus.contract.DeploymentEvent;
import dev.berth.bus.contract.SecretEvent;
import dev.berth.bus.contract.Endpoints;
import dev.berth.bus.contract.HorizontalPodAutoscalerEvent;
import dev.berth.bus.contract.HorizontalPodAutoscalerStatus;
import dev.berth.bus.contract.ServiceEvent;
import dev.berth.bus.contract.NamespaceEvent;
import dev.berth.bus.contract.NodeEvent;
import dev.berth.bus.contract.Payload;
import dev.berth.bus.contract.PodEvent;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Follows the log from its current end until interrupted (Ctrl-C), as {@code kubectl get -w} and
 * {@code kubectl get events -w} do: {@code berth get -w} folds each new event into its view and
 * prints the object it changed, {@code berth events -f} prints the event.
 */
final class GetWatch {
    private final BusConfig bus;
    private final List<Topic> topics;

    GetWatch(BusConfig bus, List<Topic> topics) {
        this.bus = bus;
        this.topics = topics;
    }

    /** Folds every new event into {@code view}, then hands it to {@code changed}. */
    void follow(ClusterView view, Consumer<Envelope> changed) {
        follow(e -> {
            view.apply(e);
            changed.accept(e);
        });
    }

    void follow(Consumer<Envelope> sink) {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(bus.props(bus.consumer(null, "berth-watch")))) {
            List<TopicPartition> partitions = LogReader.partitions(consumer, topics);
            consumer.assign(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            end.forEach(consumer::seek);
            while (!Thread.currentThread().isInterrupted()) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    try {
                        sink.accept(Json.decode(r.value()));
                    } catch (BadRecordException ignored) {
                        // set aside by the services; a watch shows what they understood
                    }
                }
            }
        }
    }

    /**
     * The name of the object of {@code kind} an event changes, or null; a pod's events change its deployment's READY.
     * A deployment comes back as its key (namespace/name, the bare name in default).
     */
    static String subject(GetCommand.Kind kind, Payload p, ClusterView view) {
        return switch (kind) {
            case pods, pod, po -> p instanceof PodEvent e ? e.pod() : null;
            case nodes, node, no -> p instanceof NodeEvent e ? e.node() : null;
            case namespaces, namespace, ns -> p instanceof NamespaceEvent e ? e.name() : null;
            case services, service, svc, endpoints, ep -> p instanceof ServiceEvent e ? e.key() : p instanceof Endpoints e ? e.key() : null;
            case hpa, horizontalpodautoscalers, horizontalpodautoscaler -> p instanceof HorizontalPodAutoscalerEvent e ? e.key()
                    : p instanceof HorizontalPodAutoscalerStatus s ? s.key() : null;
            case configmaps, configmap, cm -> p instanceof ConfigMapEvent e ? e.key() : null;
            case secrets, secret -> p instanceof SecretEvent e ? e.key() : null;
            case jobs, job -> p instanceof dev.berth.bus.contract.JobEvent e ? e.key() : null;
            default -> p instanceof DeploymentEvent e ? e.key() : p instanceof PodEvent e ? view.deploymentOf(e.pod()) : null;
        };
    }
}

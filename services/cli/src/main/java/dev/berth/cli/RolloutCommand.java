package dev.berth.cli;

import dev.berth.bus.BadRecordException;
import dev.berth.bus.BusConfig;
import dev.berth.bus.Json;
import dev.berth.bus.LogReader;
import dev.berth.bus.Topic;
import dev.berth.bus.contract.ApplyDeployment;
import dev.berth.bus.contract.CommandAccepted;
import dev.berth.bus.contract.DeploymentSpec;
import dev.berth.bus.contract.Event;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code berth rollout status|history|undo|restart|pause|resume deployment/NAME}, kubectl's verbs and outputs. */
@Command(name = "rollout", description = "Manage a deployment's rollout: status, history, undo, restart, pause, resume (berth rollout VERB deployment/NAME [-n NS]).",
        subcommands = {RolloutCommand.Status.class, RolloutCommand.History.class, RolloutCommand.Undo.class, RolloutCommand.Restart.class,
                RolloutCommand.Pause.class, RolloutCommand.Resume.class})
final class RolloutCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("error: which verb? berth rollout status|history|undo|restart|pause|resume deployment/NAME");
        return 1;
    }

    /** The topics a rollout's state folds from: the deployment, its pods and what runs (older logs without statuses). */
    static final List<Topic> TOPICS = List.of(Topic.DEPLOYMENTS, Topic.PODS, Topic.PLACEMENTS, Topic.POD_STATUS);

    /** The deployment named by {@code ref} in {@code namespace}, as the log has it now; null (said so) when there is none. */
    static ClusterView.DeploymentRow find(ClusterView view, String ref, String namespace) {
        String name = ResourceRef.deploymentName(ref);
        ClusterView.DeploymentRow d = view.deployment(namespace, name);
        if (d == null) System.err.println("Error from server (NotFound): deployments.apps \"" + name + "\" not found");
        return d;
    }

    /** Sends the changed spec as ApplyDeployment; on the controller's acceptance prints kubectl's line. */
    static int apply(ClusterOptions cluster, DeploymentSpec spec, String success) {
        Event answer = new CommandClient(cluster.bus()).send(new ApplyDeployment(spec), Duration.ofSeconds(30));
        if (answer instanceof CommandAccepted) {
            System.out.println(success);
            return 0;
        }
        return CommandOutput.print(answer);
    }

    static ClusterView load(ClusterOptions cluster) {
        ClusterView view = new ClusterView();
        fold(cluster.bus(), view);
        return view;
    }

    /** Folds the topics up to their end; returns where each partition stopped, for a follower to go on from. */
    static Map<TopicPartition, Long> fold(BusConfig bus, ClusterView view) {
        return LogReader.readAll(bus, TOPICS, r -> {
            try {
                view.apply(Json.decode(r.value()));
            } catch (BadRecordException ignored) {
                // set aside by the services; the view shows what they understood
            }
        });
    }

    abstract static class Verb implements Callable<Integer> {
        @Mixin ClusterOptions cluster;
        @Mixin NamespaceOptions namespaces;

        @Parameters(index = "0", paramLabel = "deployment/NAME")
        String target;

        @Parameters(index = "1", arity = "0..1", paramLabel = "NAME", description = "the name, when the first argument is just 'deployment'")
        String name;

        String ref() { return name == null ? target : target + "/" + name; }
    }

    @Command(name = "status", description = "Follow a deployment's rollout until it completes, kubectl's messages; exit 1 when its progress deadline passes or --timeout runs out.")
    static final class Status extends Verb {
        @Option(names = {"-w", "--watch"}, negatable = true, defaultValue = "true", fallbackValue = "true", arity = "0..1",
                description = "follow until the rollout completes (default true; --watch=false judges once)")
        boolean watch = true;

        @Option(names = "--timeout", description = "give up after this long (e.g. 90s, 5m; 0: never)", defaultValue = "0s")
        String timeout;

        @Option(names = "--revision", description = "wait for this revision; an error when another is current", defaultValue = "0")
        long revision;

        @Override
        public Integer call() {
            Duration limit = RolloutStatus.timeout(timeout);
            Instant deadline = limit.isZero() ? null : Instant.now().plus(limit);
            BusConfig bus = cluster.bus();
            ClusterView view = new ClusterView();
            Map<TopicPartition, Long> reached = fold(bus, view);
            RolloutStatus.Follower follower = new RolloutStatus.Follower(view, namespaces.namespace(), ResourceRef.deploymentName(ref()),
                    revision, deadline, watch);
            Integer exit = print(follower.check(Instant.now()));
            if (exit != null) return exit;
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(bus.props(bus.consumer(null, "berth-rollout-status")))) {
                consumer.assign(reached.keySet());
                reached.forEach(consumer::seek);
                while (true) {
                    for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(250))) {
                        try {
                            follower.apply(Json.decode(r.value()));
                        } catch (BadRecordException ignored) {
                            // not ours to judge
                        }
                    }
                    exit = print(follower.check(Instant.now()));
                    if (exit != null) return exit;
                }
            }
        }

        private static Integer print(RolloutStatus.Step step) {
            step.out().forEach(System.out::println);
            System.out.flush();
            if (step.error() != null) System.err.println(step.error());
            return step.exit();
        }
    }

    @Command(name = "history", description = "A deployment's revisions and their change-cause (kubernetes.io/change-cause); --revision N shows that revision's pod template.")
    static final class History extends Verb {
        @Option(names = "--revision", description = "show this revision's pod template", defaultValue = "0")
        long revision;

        @Override
        public Integer call() {
            ClusterView.DeploymentRow d = find(load(cluster), ref(), namespaces.namespace());
            if (d == null) return 1;
            try {
                System.out.print(RolloutHistory.render(d, revision));
                return 0;
            } catch (Rollouts.Refused e) {
                System.err.println("error: " + e.getMessage());
                return 1;
            }
        }
    }

    @Command(name = "undo", description = "Roll a deployment back to its previous revision's pod template, or --to-revision N's.")
    static final class Undo extends Verb {
        @Option(names = "--to-revision", description = "the revision to roll back to (default 0: the previous one)", defaultValue = "0")
        long toRevision;

        @Override
        public Integer call() {
            ClusterView.DeploymentRow d = find(load(cluster), ref(), namespaces.namespace());
            if (d == null) return 1;
            try {
                Rollouts.Change change = Rollouts.undo(d, toRevision);
                if (change.spec() == null) {
                    System.out.println(change.message());
                    return 0;
                }
                return apply(cluster, change.spec(), change.message());
            } catch (Rollouts.Refused e) {
                System.err.println("error: " + e.getMessage());
                return 1;
            }
        }
    }

    @Command(name = "restart", description = "Restart a deployment's pods by a rollout: sets the template annotation kubectl.kubernetes.io/restartedAt to now.")
    static final class Restart extends Verb {
        @Override
        public Integer call() { return change(this, "restarted", s -> Rollouts.restart(s, Instant.now())); }
    }

    @Command(name = "pause", description = "Pause a deployment's rollout: template changes wait until it is resumed.")
    static final class Pause extends Verb {
        @Override
        public Integer call() { return change(this, "paused", Rollouts::pause); }
    }

    @Command(name = "resume", description = "Resume a paused deployment's rollout.")
    static final class Resume extends Verb {
        @Override
        public Integer call() { return change(this, "resumed", Rollouts::resume); }
    }

    interface SpecChange {
        DeploymentSpec apply(DeploymentSpec current) throws Rollouts.Refused;
    }

    /** The current spec changed, sent; {@code deployment.apps/web <done>} once accepted. */
    static int change(Verb verb, String done, SpecChange change) {
        ClusterView.DeploymentRow d = find(load(verb.cluster), verb.ref(), verb.namespaces.namespace());
        if (d == null) return 1;
        try {
            return apply(verb.cluster, change.apply(d.spec), Rollouts.ref(d.spec.name()) + " " + done);
        } catch (Rollouts.Refused e) {
            System.err.println("error: " + e.getMessage());
            return 1;
        }
    }
}

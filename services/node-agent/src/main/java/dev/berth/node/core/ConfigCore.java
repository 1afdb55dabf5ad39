package dev.berth.node.core;

import dev.berth.bus.Decision;
import dev.berth.bus.LogTail;
import dev.berth.bus.RawRecord;
import dev.berth.bus.ServiceLoop;
import dev.berth.bus.Topic;
import dev.berth.bus.contract.ConfigMapApplied;
import dev.berth.bus.contract.ConfigMapDeleted;
import dev.berth.bus.contract.ConfigMapEvent;
import dev.berth.bus.contract.SecretApplied;
import dev.berth.bus.contract.SecretDeleted;
import dev.berth.bus.contract.SecretEvent;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The node's third small loop: berth.configmaps and berth.secrets folded into {@link ConfigObjects}, which the shell
 * reads when it starts a container (env sources, configMap and secret volumes). No effects, no outputs. Pure.
 */
public final class ConfigCore implements ServiceLoop.Core<ConfigObjects> {
    public static ServiceLoop.Source configMaps(LogTail.Start start) {
        return new ServiceLoop.Source("configmaps", List.of(Topic.CONFIG_MAPS), start,
                Set.of(ConfigMapApplied.class, ConfigMapDeleted.class))
                .checkedBy((r, env) -> env.data() instanceof ConfigMapEvent e && !e.key().equals(r.key())
                        ? Optional.of("ConfigMap " + e.key() + " under the record key " + r.key()) : Optional.empty());
    }

    public static ServiceLoop.Source secrets(LogTail.Start start) {
        return new ServiceLoop.Source("secrets", List.of(Topic.SECRETS), start, Set.of(SecretApplied.class, SecretDeleted.class))
                .checkedBy((r, env) -> env.data() instanceof SecretEvent e && !e.key().equals(r.key())
                        ? Optional.of("Secret " + e.key() + " under the record key " + r.key()) : Optional.empty());
    }

    /** One record of either topic folded in (the start-up read and the live loop take the same path). */
    public static ConfigObjects fold(ConfigObjects s, Object payload) {
        if (payload instanceof ConfigMapApplied a) return s.put(a.configMap());
        if (payload instanceof ConfigMapDeleted d) return s.removeConfigMap(d.key());
        if (payload instanceof SecretApplied a) return s.put(a.secret());
        if (payload instanceof SecretDeleted d) return s.removeSecret(d.key());
        return s;
    }

    /** A tombstone on {@code topic}: that object is gone. */
    public static ConfigObjects tombstone(ConfigObjects s, String topic, String key) {
        return topic.equals(Topic.SECRETS.topicName()) ? s.removeSecret(key) : s.removeConfigMap(key);
    }

    @Override
    public Decision<ConfigObjects> onRecord(ConfigObjects s, ServiceLoop.Received in) {
        return Decision.unchanged(fold(s, in.payload()));
    }

    @Override
    public Decision<ConfigObjects> onTombstone(ConfigObjects s, RawRecord record, Instant now) {
        return Decision.unchanged(tombstone(s, record.topic(), record.key()));
    }
}

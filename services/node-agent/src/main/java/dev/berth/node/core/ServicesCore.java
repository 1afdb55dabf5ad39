package dev.berth.node.core;

import dev.berth.bus.Decision;
import dev.berth.bus.LogTail;
import dev.berth.bus.RawRecord;
import dev.berth.bus.ServiceLoop;
import dev.berth.bus.Topic;
import dev.berth.bus.contract.Endpoints;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * The node's second, small loop: berth.endpoints folded into a {@link ServiceDirectory}, which the shell reads
 * when it starts a container (its Service variables). No effects, no outputs. Pure.
 */
public final class ServicesCore implements ServiceLoop.Core<ServiceDirectory> {
    public static ServiceLoop.Source endpoints(LogTail.Start start) {
        return new ServiceLoop.Source("services", List.of(Topic.ENDPOINTS), start, Set.of(Endpoints.class))
                .checkedBy((r, env) -> env.data() instanceof Endpoints e && !e.key().equals(r.key())
                        ? java.util.Optional.of("Endpoints of " + e.key() + " under the record key " + r.key())
                        : java.util.Optional.empty());
    }

    @Override
    public Decision<ServiceDirectory> onRecord(ServiceDirectory s, ServiceLoop.Received in) {
        return Decision.unchanged(s.put((Endpoints) in.payload()));
    }

    @Override
    public Decision<ServiceDirectory> onTombstone(ServiceDirectory s, RawRecord record, Instant now) {
        return Decision.unchanged(s.remove(record.key()));
    }
}

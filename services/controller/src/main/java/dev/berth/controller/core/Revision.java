package dev.berth.controller.core;

import dev.berth.bus.contract.PodTemplate;
import java.time.Instant;

/**
 * An old revision of a deployment's template, as Kubernetes keeps old ReplicaSets for {@code rollout history} and
 * {@code rollout undo}: its number, template, the change cause it had and when it was created.
 */
public record Revision(long number, PodTemplate template, String changeCause, Instant createdAt) {}

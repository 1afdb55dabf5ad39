package dev.berth.bus.contract;

/**
 * Every command and event that travels inside an {@link dev.berth.bus.Envelope}. Each permitted
 * type has a JSON Schema at {@code schemas/<TypeName>.json}; {@code ContractSchemasTest} keeps them in step.
 */
public sealed interface Payload permits Command, Event {
}

package dev.berth.proxy.core;

/** The Service is gone (a tombstone on the compacted endpoints topic): its listeners close. */
public record ServiceDeleted(ServiceKey key) implements TableUpdate {}

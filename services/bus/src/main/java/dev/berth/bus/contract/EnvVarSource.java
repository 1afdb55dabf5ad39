package dev.berth.bus.contract;

/**
 * An {@code env} entry with {@code valueFrom}: exactly one of {@code configMapKeyRef} and {@code secretKeyRef}.
 * (Plain {@code value} entries stay in {@link Container#env()}.)
 */
public record EnvVarSource(String name, KeySelector configMapKeyRef, KeySelector secretKeyRef) {}

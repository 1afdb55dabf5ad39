package dev.berth.proxy.core;

/** A Service port's transport, as Kubernetes spells it. */
public enum Protocol { TCP, UDP }

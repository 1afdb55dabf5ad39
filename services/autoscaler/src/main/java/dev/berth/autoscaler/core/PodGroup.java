package dev.berth.autoscaler.core;

/**
 * How one pod counts for one metric, as Kubernetes' replica calculator sorts a target's pods (groupPods): with a
 * usable sample, not ready yet (pending, or for cpu still starting up), without a sample, or left out entirely
 * (being deleted, failed, gone).
 */
public enum PodGroup { READY, UNREADY, MISSING, IGNORED }

package dev.berth.bus.contract;

import java.util.List;

/**
 * One of a container's ports, as Kubernetes' {@code containers[].ports[]}: informational, except that a
 * {@code hostPort} publishes {@code containerPort} on the node (the CNI portmap plugin) and keeps two pods
 * needing the same hostPort and protocol off one node (the scheduler's NodePorts filter).
 *
 * @param containerPort the port the container listens on, 1–65535
 * @param name          an IANA_SVC_NAME (≤ 15 lower-case letters, digits and '-', with a letter); null: none
 * @param protocol      TCP or UDP; null: TCP
 * @param hostPort      the node's port to publish it on, 1–65535; 0: not published
 */
public record ContainerPort(int containerPort, String name, String protocol, int hostPort) {
    public static final String TCP = "TCP";
    public static final String UDP = "UDP";
    public static final List<String> PROTOCOLS = List.of(TCP, UDP);

    public ContainerPort {
        protocol = protocol == null || protocol.isEmpty() ? TCP : protocol;
        name = name == null || name.isEmpty() ? null : name;
    }

    public static ContainerPort of(int containerPort) { return new ContainerPort(containerPort, null, TCP, 0); }

    public static ContainerPort host(int containerPort, int hostPort) { return new ContainerPort(containerPort, null, TCP, hostPort); }

    public boolean published() { return hostPort > 0; }
}

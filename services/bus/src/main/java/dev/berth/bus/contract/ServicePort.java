package dev.berth.bus.contract;

/**
 * One port of a Service, as Kubernetes' {@code spec.ports[]}. {@code targetPort} is Kubernetes' IntOrString
 * split in two: a number ({@code targetPort}) or the name of a container port ({@code targetPortName}),
 * resolved per pod; neither: the same number as {@code port}.
 *
 * @param name           an IANA_SVC_NAME; required when the Service has more than one port, else may be null
 * @param protocol       TCP or UDP; null: TCP
 * @param port           the port on the cluster IP, 1–65535
 * @param targetPort     the pod's port number, 1–65535; 0: named, or the same as {@code port}
 * @param targetPortName a container port's name; null: by number
 * @param nodePort       30000–32767 for a NodePort Service (0 in a command: the controller picks one); 0 otherwise
 * @param appProtocol    Kubernetes' appProtocol (e.g. http); null: none
 */
public record ServicePort(String name, String protocol, int port, int targetPort, String targetPortName, int nodePort,
                          String appProtocol) {
    public ServicePort {
        protocol = protocol == null || protocol.isEmpty() ? ContainerPort.TCP : protocol;
        name = name == null || name.isEmpty() ? null : name;
        targetPortName = targetPortName == null || targetPortName.isEmpty() ? null : targetPortName;
    }

    public static ServicePort tcp(String name, int port, int targetPort) {
        return new ServicePort(name, ContainerPort.TCP, port, targetPort, null, 0, null);
    }

    /** The target port's number when it is given by number ({@code port} when neither is given); 0 when named. */
    public int targetNumber() {
        if (targetPortName != null) return 0;
        return targetPort > 0 ? targetPort : port;
    }

    /** The port's name, or "" for the single unnamed port of a Service (Kubernetes' empty port name). */
    public String nameOrEmpty() { return name == null ? "" : name; }

    public ServicePort withNodePort(int p) {
        return new ServicePort(name, protocol, port, targetPort, targetPortName, p, appProtocol);
    }
}

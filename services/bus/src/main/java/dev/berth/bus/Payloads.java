package dev.berth.bus;

import dev.berth.bus.contract.Payload;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Type names and schema versions of payloads: the type name is the record's simple name. */
public final class Payloads {
    private Payloads() {}

    /** Every concrete payload type, found through the sealed hierarchy so none can be forgotten. */
    public static final List<Class<? extends Payload>> ALL = leaves(Payload.class).toList();

    private static final Map<String, Class<? extends Payload>> BY_NAME =
            ALL.stream().collect(Collectors.toUnmodifiableMap(Class::getSimpleName, Function.identity()));

    /** Bump a type's version here (and in its schema) when its shape changes incompatibly. */
    public static int version(Payload payload) { return 1; }

    public static String typeName(Payload payload) { return payload.getClass().getSimpleName(); }

    public static Class<? extends Payload> byName(String typeName) { return BY_NAME.get(typeName); }

    @SuppressWarnings("unchecked")
    private static Stream<Class<? extends Payload>> leaves(Class<?> type) {
        if (!type.isSealed()) return Stream.of((Class<? extends Payload>) type);
        return Arrays.stream(type.getPermittedSubclasses()).flatMap(Payloads::leaves);
    }
}

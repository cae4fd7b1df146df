package io.tapeflow.engine;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;

/**
 * A collection of variables and sub-modules, like {@code tf.Module}: {@link #variables()} finds the variables held in
 * the fields of this object (directly, in sub-modules, or in lists and arrays of either), in a stable order: fields by
 * name as TensorFlow sorts attributes, superclass fields first, list elements in order, each variable once.
 */
public abstract class Module {

    private final String name;

    protected Module(String name) {
        this.name = name;
    }

    public String name() {
        return name;
    }

    public final List<Variable> variables() {
        List<Variable> out = new ArrayList<>();
        collect(this, out, new IdentityHashMap<>());
        return out;
    }

    public final List<Variable> trainableVariables() {
        List<Variable> out = new ArrayList<>();
        for (Variable v : variables()) {
            if (v.trainable()) {
                out.add(v);
            }
        }
        return out;
    }

    private static void collect(Object value, List<Variable> out, IdentityHashMap<Object, Boolean> seen) {
        if (value == null || seen.put(value, Boolean.TRUE) != null) {
            return;
        }
        if (value instanceof Variable v) {
            out.add(v);
        } else if (value instanceof Module) {
            for (Field f : fieldsOf(value.getClass())) {
                try {
                    collect(f.get(value), out, seen);
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException("Module: cannot read field " + f, e);
                }
            }
        } else if (value instanceof Iterable<?> items) {
            for (Object item : items) {
                collect(item, out, seen);
            }
        } else if (value instanceof Object[] items) {
            for (Object item : items) {
                collect(item, out, seen);
            }
        }
    }

    private static List<Field> fieldsOf(Class<?> type) {
        List<Field> fields = new ArrayList<>();
        if (type.getSuperclass() != null && type.getSuperclass() != Object.class) {
            fields.addAll(fieldsOf(type.getSuperclass()));
        }
        Field[] own = type.getDeclaredFields();
        Arrays.sort(own, Comparator.comparing(Field::getName));
        for (Field f : own) {
            if (!Modifier.isStatic(f.getModifiers()) && !f.getType().isPrimitive()) {
                f.setAccessible(true);
                fields.add(f);
            }
        }
        return fields;
    }
}

package io.transfer4j.data;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** The classes of a task in a fixed order; index i is output i of every head trained for it. */
public record LabelMap(List<String> names) {
    public LabelMap {
        names = List.copyOf(names);
        if (new TreeSet<>(names).size() != names.size()) {
            throw new IllegalArgumentException("duplicate class names in " + names);
        }
    }

    /** Classes sorted by name, so the same data always gives the same map. */
    public static LabelMap of(Collection<String> labels) {
        return new LabelMap(new ArrayList<>(new TreeSet<>(labels)));
    }

    public int size() {
        return names.size();
    }

    public String name(int index) {
        return names.get(index);
    }

    public int indexOf(String name) {
        int i = names.indexOf(name);
        if (i < 0) {
            throw new IllegalArgumentException("unknown class " + name);
        }
        return i;
    }

    public Map<String, Integer> asIndex() {
        Map<String, Integer> m = new HashMap<>();
        for (int i = 0; i < names.size(); i++) {
            m.put(names.get(i), i);
        }
        return m;
    }
}

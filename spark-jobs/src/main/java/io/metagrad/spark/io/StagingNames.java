package io.metagrad.spark.io;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Names of the hidden siblings a commit uses beside its destination {@code NAME}:
 * {@code .NAME.staging-PID@HOST-ID} (the new output while it is written), {@code .NAME.old-ID} (the
 * old output while it is replaced) and {@code .NAME.commit.json} (the journal of a replace). A
 * staging directory names the process that writes it, so that a later run can tell a leftover
 * of a killed job (its process is gone) from the work of a job still running.
 */
final class StagingNames {

    /** Staging directories of other machines are left alone this long (their writer cannot be checked). */
    static final Duration FOREIGN_AGE = Duration.ofHours(24);

    private static final Pattern STAGING = Pattern.compile("\\.(.+)\\.staging-(\\d+)@([A-Za-z0-9.-]+)-([0-9a-f]+)");
    private static final String HOST = host();

    private StagingNames() {}

    /**
     * {@code path} with every staging segment ({@code .NAME.staging-…}) named as the output it becomes: where a
     * file written inside a staged output will be once that output is committed.
     */
    static String committed(String path) {
        return java.util.Arrays.stream(path.split("/", -1)).map(segment -> {
            java.util.regex.Matcher m = STAGING.matcher(segment);
            return m.matches() ? m.group(1) : segment;
        }).collect(java.util.stream.Collectors.joining("/"));
    }

    static String staging(String name) {
        return "." + name + ".staging-" + ProcessHandle.current().pid() + "@" + HOST + "-" + shortId();
    }

    static String backup(String name) {
        return "." + name + ".old-" + shortId();
    }

    static String journal(String name) {
        return "." + name + ".commit.json";
    }

    static boolean isBackupOf(String candidate, String name) {
        return candidate.startsWith("." + name + ".old-");
    }

    /** The writer of a staging directory of {@code name}, when {@code candidate} is one. */
    static Optional<Owner> stagingOwner(String candidate, String name) {
        Matcher m = STAGING.matcher(candidate);
        if (!m.matches() || !m.group(1).equals(name)) {
            return Optional.empty();
        }
        return Optional.of(new Owner(Long.parseLong(m.group(2)), m.group(3)));
    }

    /** A process on a host. */
    record Owner(long pid, String host) {

        /**
         * Whether the staging directory last modified at {@code modified} may still be written: its process runs
         * (and started before the directory was made, so it is not a new process that reuses the id) or, on
         * another machine, it is younger than {@link #FOREIGN_AGE}.
         */
        boolean mayStillWrite(Instant modified) {
            if (!host.equals(HOST)) {
                return modified.isAfter(Instant.now().minus(FOREIGN_AGE));
            }
            Optional<ProcessHandle> p = ProcessHandle.of(pid);
            if (p.isEmpty() || !p.get().isAlive()) {
                return false;
            }
            Optional<Instant> started = p.get().info().startInstant();
            boolean unknownTime = modified.toEpochMilli() <= 0; // object stores may not time their prefixes
            return started.isEmpty() || unknownTime || !started.get().isAfter(modified.plusSeconds(2));
        }
    }

    private static String shortId() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    private static String host() {
        String h;
        try {
            h = InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException | RuntimeException e) {
            h = "localhost";
        }
        String clean = h.replaceAll("[^A-Za-z0-9.-]", "-");
        return clean.isEmpty() ? "localhost" : clean;
    }
}

package io.metagrad.spark.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;

/**
 * The rules every job applies to its outputs before any work, so that no input is ever lost:
 * an output may not equal, contain or lie inside an input (compared as fully qualified paths,
 * symbolic links resolved on local disk), and an existing directory is metagrad's only when its
 * {@code _metagrad.json} says so — a directory holding anything else (even only dot-files such
 * as {@code .git/}) is the user's, and no job deletes or replaces it, whatever the flags.
 */
public final class OutputGuard {

    /** What is at an output path. */
    public enum Kind {
        /** Nothing. */
        ABSENT,
        /** An empty directory: nothing to lose. */
        EMPTY_DIRECTORY,
        /** A file (never an output). */
        FILE,
        /** A directory metagrad made (its {@code _metagrad.json} is there). */
        OURS,
        /** A non-empty directory metagrad did not make. */
        FOREIGN
    }

    private OutputGuard() {}

    /** A path and the option (or role) that named it, for messages. */
    public record Named(String option, String path) {}

    /**
     * Fails unless every output lies apart from every input.
     *
     * @param job the job's name, for the message (e.g. {@code curate})
     * @param outputs option → path of each output (e.g. {@code --output} → {@code runs/sel}); null paths are skipped
     * @param inputs option → path of each input; null paths are skipped
     */
    public static void requireApart(String job, Map<String, String> outputs, Map<String, String> inputs, Configuration hadoop) {
        requireApart(job, named(outputs), named(inputs), hadoop);
    }

    /** As {@link #requireApart(String, Map, Map, Configuration)}, for lists in which an option may repeat. */
    public static void requireApart(String job, List<Named> outputs, List<Named> inputs, Configuration hadoop) {
        for (Named out : outputs) {
            if (out.path() == null) {
                continue;
            }
            URI o = canonical(out.path(), hadoop);
            for (Named in : inputs) {
                if (in.path() == null) {
                    continue;
                }
                URI i = canonical(in.path(), hadoop);
                String relation = o.equals(i) ? "is the same path as" : inside(o, i) ? "lies inside"
                        : inside(i, o) ? "contains" : null;
                if (relation != null) {
                    throw new IllegalArgumentException(job + " " + out.option() + " " + out.path() + " " + relation + " the input "
                            + in.option() + " " + in.path() + "; an output must lie apart from every input, choose another "
                            + out.option());
                }
            }
        }
    }

    private static List<Named> named(Map<String, String> paths) {
        List<Named> out = new ArrayList<>();
        paths.forEach((k, v) -> out.add(new Named(k, v)));
        return out;
    }

    /** What is at {@code at}. */
    public static Kind kindOf(Storage.Located at) {
        try {
            if (!at.fs().exists(at.path())) {
                return Kind.ABSENT;
            }
            FileStatus status = at.fs().getFileStatus(at.path());
            if (status.isFile()) {
                return Kind.FILE;
            }
            if (isOurs(at)) {
                return Kind.OURS;
            }
            return at.fs().listStatus(at.path()).length == 0 ? Kind.EMPTY_DIRECTORY : Kind.FOREIGN;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot inspect " + at.path(), e);
        }
    }

    /** What is at {@code path}. */
    public static Kind kindOf(String path, Configuration hadoop) {
        return kindOf(Storage.locate(path, hadoop));
    }

    /** Whether metagrad made the directory at {@code at}: its {@code _metagrad.json} is a file there. */
    public static boolean isOurs(Storage.Located at) {
        try {
            Path manifest = new Path(at.path(), TableManifest.FILE_NAME);
            return at.fs().exists(manifest) && at.fs().getFileStatus(manifest).isFile();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot inspect " + at.path(), e);
        }
    }

    /** {@code inner} lies strictly below {@code outer}. */
    private static boolean inside(URI inner, URI outer) {
        if (!Objects.equals(inner.getScheme(), outer.getScheme()) || !Objects.equals(inner.getAuthority(), outer.getAuthority())) {
            return false;
        }
        String o = outer.getPath().endsWith("/") ? outer.getPath() : outer.getPath() + "/";
        return inner.getPath().startsWith(o) && inner.getPath().length() > o.length();
    }

    /** The qualified URI of {@code path}; on local disk with symbolic links and {@code ..} resolved. */
    static URI canonical(String path, Configuration hadoop) {
        Storage.Located at = Storage.locate(path, hadoop);
        URI uri = at.path().toUri();
        if (at.storage() == Storage.LOCAL) {
            java.nio.file.Path p = at.local().toAbsolutePath().normalize();
            java.nio.file.Path existing = p;
            while (existing != null && !Files.exists(existing)) {
                existing = existing.getParent();
            }
            try {
                uri = (existing == null ? p : existing.toRealPath().resolve(existing.relativize(p))).toUri();
            } catch (IOException e) {
                uri = p.toUri();
            }
        }
        String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
        String p = uri.normalize().getPath();
        while (p.length() > 1 && p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        try {
            return new URI(scheme, uri.getAuthority(), p, null, null);
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("path " + path + " is not a valid URI: " + e.getMessage(), e);
        }
    }
}

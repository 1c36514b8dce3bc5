package io.metagrad.spark.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;

/**
 * Commits an output directory all at once. The job writes into a hidden staging directory beside
 * the destination; {@link #commit()} puts it in place. A job killed at any moment leaves either
 * no output or a complete one, and an output it replaces ({@code overwrite}) survives until the
 * new one is complete:
 * <ul>
 *   <li>a new destination is one rename on local disk and HDFS;</li>
 *   <li>a replace first writes a journal ({@link CommitJournal}), moves the old output aside, moves the
 *       new one in, deletes the old one and then the journal. The next job that writes the destination
 *       (or {@link #recover}) rolls an interrupted replace forward: the staged output was complete
 *       before the journal was written;</li>
 *   <li>on object stores, where a rename is a copy and a delete per object, every commit is journaled and
 *       moves object by object, resumably, with {@code _metagrad.json} last, so a destination is complete
 *       once its manifest is there and no journal is beside it ({@link #pendingCommit}).</li>
 * </ul>
 * Staging directories of killed jobs are removed when the destination is next written. A
 * destination that exists is refused unless {@code overwrite}, and even then unless metagrad made
 * it ({@link OutputGuard#isOurs}): a job never deletes a directory it did not create. An empty
 * directory counts as absent.
 */
public final class AtomicOutput {

    private final Storage.Located destination;
    private final Storage.Located staging;
    private final boolean overwrite;
    private final Configuration hadoop;

    private AtomicOutput(Storage.Located destination, Storage.Located staging, boolean overwrite, Configuration hadoop) {
        this.destination = destination;
        this.staging = staging;
        this.overwrite = overwrite;
        this.hadoop = hadoop;
    }

    /**
     * Prepares to write {@code destination}: finishes an interrupted commit there, removes staging
     * directories of killed jobs, and fails now if the destination exists and may not be replaced.
     */
    public static AtomicOutput to(String destination, Configuration hadoop, boolean overwrite) {
        Storage.Located dest = Storage.locate(destination, hadoop);
        if (dest.path().getParent() == null) {
            throw new IllegalArgumentException("output " + dest.path() + " is a filesystem root; choose a directory below it");
        }
        recover(dest, hadoop);
        requireReplaceable(dest, overwrite, "");
        Storage.Located staging = dest.at(sibling(dest, StagingNames.staging(dest.path().getName())));
        return new AtomicOutput(dest, staging, overwrite, hadoop);
    }

    /** Where the job writes; nothing there is visible at the destination until {@link #commit()}. */
    public String stagingPath() {
        return staging.path().toString();
    }

    public Path destination() {
        return destination.path();
    }

    /**
     * Puts the staged output in place, replacing the destination when overwriting. The staged directory
     * must hold its {@code _metagrad.json}: that is what lets a later run recognize the output as metagrad's.
     */
    public void commit() {
        if (!OutputGuard.isOurs(staging)) {
            throw new IllegalStateException("staged output " + staging.path() + " has no " + TableManifest.FILE_NAME
                    + "; every committed output needs one");
        }
        CommitFaults.at("dir.staged");
        try {
            OutputGuard.Kind kind = requireReplaceable(destination, overwrite, " while the job ran");
            if (kind == OutputGuard.Kind.EMPTY_DIRECTORY) {
                destination.fs().delete(destination.path(), false); // fails rather than delete anything put there since
                kind = OutputGuard.Kind.ABSENT;
            }
            if (kind == OutputGuard.Kind.ABSENT && destination.storage() != Storage.OBJECT_STORE) {
                renameDirectory(staging, destination);
                CommitFaults.at("dir.new-moved");
                return;
            }
            String backup = kind == OutputGuard.Kind.ABSENT ? null : StagingNames.backup(destination.path().getName());
            CommitJournal journal = new CommitJournal(staging.path().getName(), backup,
                    backup == null ? CommitJournal.INSTALL : CommitJournal.ASIDE);
            journal.write(journalPath(destination), hadoop);
            CommitFaults.at("dir.journal-written");
            finish(destination, journal, hadoop);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot commit output " + destination.path(), e);
        }
    }

    /** Removes the staging directory (after a failure). */
    public void abort() {
        try {
            staging.fs().delete(staging.path(), true);
        } catch (IOException e) {
            // best effort: the staging directory is hidden, never read, and removed by the next run if left
        }
    }

    /**
     * Finishes a commit of {@code destination} that a killed job left (rolling it forward) and removes
     * staging directories whose job is gone. Every {@link #to} does this first.
     */
    public static void recover(String destination, Configuration hadoop) {
        recover(Storage.locate(destination, hadoop), hadoop);
    }

    /** Whether a commit of {@code path} was begun and not finished (then its content may be incomplete). */
    public static boolean pendingCommit(String path, Configuration hadoop) {
        Storage.Located at = Storage.locate(path, hadoop);
        return at.path().getParent() != null && AtomicFiles.exists(journalPath(at), hadoop);
    }

    private static void recover(Storage.Located dest, Configuration hadoop) {
        try {
            Optional<CommitJournal> journal = CommitJournal.read(journalPath(dest), hadoop);
            if (journal.isPresent()) {
                finish(dest, journal.get(), hadoop);
            }
            removeStale(dest);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot recover output " + dest.path(), e);
        }
    }

    /** The journaled steps from wherever {@code journal} stands; each step can be redone after a crash. */
    private static void finish(Storage.Located dest, CommitJournal journal, Configuration hadoop) throws IOException {
        Storage.Located staging = dest.at(sibling(dest, journal.staging()));
        Storage.Located backup = journal.backup() == null ? null : dest.at(sibling(dest, journal.backup()));
        boolean objects = dest.storage() == Storage.OBJECT_STORE;
        CommitJournal current = journal;
        if (CommitJournal.ASIDE.equals(current.phase())) {
            if (objects) {
                moveObjects(dest, backup, false);
                current = current.withPhase(CommitJournal.INSTALL);
                current.write(journalPath(dest), hadoop);
            } else if (exists(staging) && exists(dest)) {
                if (exists(backup)) {
                    throw new IllegalStateException("cannot finish the commit of " + dest.path() + ": the old output, its backup "
                            + backup.path() + " and the new one " + staging.path() + " all exist; inspect them and remove "
                            + journalPath(dest));
                }
                renameDirectory(dest, backup);
            }
            CommitFaults.at("dir.old-moved");
        }
        if (exists(staging)) {
            if (objects) {
                moveObjects(staging, dest, true);
            } else {
                renameDirectory(staging, dest);
            }
        }
        CommitFaults.at("dir.new-moved");
        if (backup != null) {
            backup.fs().delete(backup.path(), true);
        }
        CommitFaults.at("dir.old-deleted");
        AtomicFiles.delete(journalPath(dest), hadoop);
    }

    /** Refuses a destination that is a file, not metagrad's, or (without {@code overwrite}) already there. */
    private static OutputGuard.Kind requireReplaceable(Storage.Located dest, boolean overwrite, String when) {
        OutputGuard.Kind kind = OutputGuard.kindOf(dest);
        switch (kind) {
            case FILE -> throw new IllegalArgumentException("output " + dest.path() + " is a file" + when
                    + "; choose a directory path");
            case FOREIGN -> throw new IllegalArgumentException("output " + dest.path() + " exists" + when + " and was not made by"
                    + " metagrad (it has no " + TableManifest.FILE_NAME + "); metagrad never deletes what it did not create,"
                    + " even with --overwrite: choose another output or remove it yourself");
            case OURS -> {
                if (!overwrite) {
                    throw new IllegalArgumentException("output " + dest.path() + " exists" + when + "; pass --overwrite to replace it");
                }
            }
            default -> { }
        }
        return kind;
    }

    /** Removes the staging directories of killed jobs and backups of finished commits. */
    private static void removeStale(Storage.Located dest) throws IOException {
        Path parent = dest.path().getParent();
        if (!dest.fs().exists(parent)) {
            return;
        }
        String name = dest.path().getName();
        for (FileStatus s : dest.fs().listStatus(parent, p -> p.getName().startsWith("." + name + "."))) {
            String candidate = s.getPath().getName();
            Optional<StagingNames.Owner> owner = StagingNames.stagingOwner(candidate, name);
            boolean stale = owner.isPresent() && !owner.get().mayStillWrite(Instant.ofEpochMilli(s.getModificationTime()));
            // A backup without a journal is the old output of a finished commit whose deletion was cut short.
            boolean finishedBackup = StagingNames.isBackupOf(candidate, name) && exists(dest);
            boolean journalTemporary = candidate.startsWith(StagingNames.journal(name) + ".tmp-");
            if (stale || finishedBackup || journalTemporary) {
                dest.fs().delete(s.getPath(), true);
            }
        }
    }

    private static void renameDirectory(Storage.Located from, Storage.Located to) throws IOException {
        if (from.storage() == Storage.LOCAL) {
            Files.move(from.local(), to.local(), StandardCopyOption.ATOMIC_MOVE);
            AtomicFiles.forceDirectory(to.local().getParent());
        } else if (!from.fs().rename(from.path(), to.path())) {
            throw new IOException("rename " + from.path() + " → " + to.path() + " failed");
        }
    }

    /**
     * Moves every object under {@code from} to the same relative name under {@code to}, resumably: an object
     * already at its new name (copied before a crash) is only deleted at the old one. The manifest at the
     * top moves last when {@code manifestLast}, first otherwise, so a half-moved directory never looks complete.
     */
    private static void moveObjects(Storage.Located from, Storage.Located to, boolean manifestLast) throws IOException {
        if (!exists(from)) {
            return;
        }
        List<Path> files = new ArrayList<>();
        RemoteIterator<LocatedFileStatus> it = from.fs().listFiles(from.path(), true);
        while (it.hasNext()) {
            files.add(it.next().getPath());
        }
        Path manifest = new Path(from.path(), TableManifest.FILE_NAME);
        files.sort(Comparator.comparing((Path p) -> p.equals(manifest) == manifestLast).thenComparing(Path::toString));
        String root = from.path().toUri().getPath();
        for (Path file : files) {
            String relative = file.toUri().getPath().substring(root.length() + 1);
            Path target = new Path(to.path(), relative);
            if (to.fs().exists(target)) {
                from.fs().delete(file, false);
            } else {
                to.fs().mkdirs(target.getParent());
                if (!from.fs().rename(file, target)) {
                    throw new IOException("move " + file + " → " + target + " failed");
                }
            }
            CommitFaults.at("dir.file-moved");
        }
        from.fs().delete(from.path(), true);
    }

    private static boolean exists(Storage.Located at) throws IOException {
        return at != null && at.fs().exists(at.path());
    }

    private static Path sibling(Storage.Located dest, String name) {
        return new Path(dest.path().getParent(), name);
    }

    private static Path journalPath(Storage.Located dest) {
        return sibling(dest, StagingNames.journal(dest.path().getName()));
    }

    /**
     * Where {@code path}, written inside a staged output ({@code .NAME.staging-…}), will be once that output is
     * committed: what a report written before the commit should call it.
     */
    public static String committedPath(String path) {
        return StagingNames.committed(path);
    }
}

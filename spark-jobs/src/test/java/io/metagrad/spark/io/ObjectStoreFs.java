package io.metagrad.spark.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;

/**
 * A local directory that behaves like an object store where it matters for commits: {@code objstore:///…}
 * paths, and a rename that copies then deletes, object by object, so a crash can leave a directory half
 * moved or an object at both names. {@link #register} makes a Hadoop configuration use it.
 */
public class ObjectStoreFs extends RawLocalFileSystem {

    static final URI NAME = URI.create("objstore:///");

    /** Called between the copy and the delete of every object a rename moves (tests crash there). */
    static volatile Runnable betweenCopyAndDelete = () -> { };

    /** Makes {@code hadoop} resolve {@code objstore:///} here and treat it as an object store. */
    public static Configuration register(Configuration hadoop) {
        hadoop.set("fs.objstore.impl", ObjectStoreFs.class.getName());
        hadoop.setBoolean("fs.objstore.impl.disable.cache", true);
        hadoop.set(Storage.OBJECT_STORE_SCHEMES, "objstore");
        return hadoop;
    }

    @Override
    public URI getUri() {
        return NAME;
    }

    @Override
    public String getScheme() {
        return "objstore";
    }

    @Override
    public boolean rename(Path src, Path dst) throws IOException {
        FileStatus from = getFileStatus(src);
        if (exists(dst)) {
            return false;
        }
        if (from.isFile()) {
            copy(src, dst);
            betweenCopyAndDelete.run();
            return delete(src, false);
        }
        for (FileStatus child : listStatus(src)) {
            rename(child.getPath(), new Path(dst, child.getPath().getName()));
        }
        return delete(src, true);
    }

    // Plain statuses: RawLocalFileSystem's own load permissions through java.io.File, which wants file: URIs.
    @Override
    public FileStatus getFileStatus(Path p) throws IOException {
        return plain(super.getFileStatus(p));
    }

    @Override
    public FileStatus[] listStatus(Path p) throws IOException {
        FileStatus[] all = super.listStatus(p);
        for (int i = 0; i < all.length; i++) {
            all[i] = plain(all[i]);
        }
        return all;
    }

    private static FileStatus plain(FileStatus s) {
        return new FileStatus(s.getLen(), s.isDirectory(), 1, s.getBlockSize(), s.getModificationTime(), s.getPath());
    }

    private void copy(Path src, Path dst) throws IOException {
        mkdirs(dst.getParent());
        try (InputStream in = open(src); OutputStream out = create(dst, false)) {
            in.transferTo(out);
        }
    }

    /** Tests build one with {@code new Path("objstore:///…").getFileSystem(register(conf))}. */
    public static Configuration fresh() {
        return register(new Configuration());
    }
}

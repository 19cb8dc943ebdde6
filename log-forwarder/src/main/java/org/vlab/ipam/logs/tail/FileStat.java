package org.vlab.ipam.logs.tail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Map;

/**
 * The inode, size and modification time of the regular file a path names now. The inode (with
 * the device) comes from the {@code unix} attribute view, or the basic view's file key where
 * there is none.
 *
 * @param key the device and inode
 */
record FileStat(String key, long size, FileTime modified) {

    /** The path's inode, size and modification time; null when it names no regular file. */
    static FileStat of(Path path) throws IOException {
        try {
            Map<String, Object> unix = Files.readAttributes(path, "unix:dev,ino,size,lastModifiedTime,isRegularFile");
            if (!Boolean.TRUE.equals(unix.get("isRegularFile"))) {
                return null;
            }
            return new FileStat(unix.get("dev") + ":" + unix.get("ino"), (Long) unix.get("size"),
                    (FileTime) unix.get("lastModifiedTime"));
        } catch (NoSuchFileException e) {
            return null;
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            try {
                BasicFileAttributes basic = Files.readAttributes(path, BasicFileAttributes.class);
                return basic.isRegularFile() && basic.fileKey() != null
                        ? new FileStat(basic.fileKey().toString(), basic.size(), basic.lastModifiedTime()) : null;
            } catch (NoSuchFileException gone) {
                return null;
            }
        }
    }
}

package io.pyrogate;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The exclusive lock pyrogate holds on its {@code --storage.path} ({@code
 * <storage.path>/pyrogate.lock}) while it runs, taken before any Kafka component opens a file
 * there. Kafka's own {@code .lock} is taken too late: a second instance's controller opened the
 * metadata log before it was refused, and corrupted the running broker's log.
 *
 * <p>The lock is an OS file lock, so it is released when the process dies, however it dies; the
 * file keeps the pid of the holder for the message a second instance prints.
 */
public final class StorageLock implements AutoCloseable {
  static final String FILE_NAME = "pyrogate.lock";

  private final Path file;
  private final FileChannel channel;
  private final FileLock lock;

  private StorageLock(Path file, FileChannel channel, FileLock lock) {
    this.file = file;
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Locks {@code storagePath} (created if missing) for this process.
   *
   * @throws IllegalStateException naming the path and the holder's pid when another instance holds
   *     it
   */
  public static StorageLock acquire(Path storagePath) {
    Path dir = storagePath.toAbsolutePath().normalize();
    Path file = dir.resolve(FILE_NAME);
    FileChannel channel = null;
    try {
      Files.createDirectories(dir);
      channel =
          FileChannel.open(
              file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException sameJvm) {
        lock = null; // another gateway in this JVM holds it (file locks are per process)
      }
      if (lock == null) {
        String holder = holder(channel);
        channel.close();
        throw new IllegalStateException(
            "storage path "
                + dir
                + " is in use by another pyrogate"
                + (holder.isEmpty() ? "" : " (pid " + holder + ")")
                + "; give each instance its own --storage.path");
      }
      channel.truncate(0);
      channel.write(
          ByteBuffer.wrap(
              (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)),
          0);
      channel.force(false);
      return new StorageLock(file, channel, lock);
    } catch (IOException e) {
      closeQuietly(channel);
      throw new IllegalStateException(
          "cannot use storage path " + dir + " (--storage.path): " + reason(e), e);
    }
  }

  /** Why a file operation failed, in words: the JDK's messages are often just the path. */
  private static String reason(IOException e) {
    if (!(e instanceof FileSystemException f)) {
      return e.toString();
    }
    String why =
        f.getReason() != null
            ? f.getReason()
            : f instanceof AccessDeniedException
                ? "permission denied"
                : f instanceof FileAlreadyExistsException || f instanceof NotDirectoryException
                    ? "not a directory"
                    : f.getClass().getSimpleName();
    return f.getFile() == null ? why : why + ": " + f.getFile();
  }

  /** The pid the holder wrote, or empty when it cannot be read. */
  private static String holder(FileChannel channel) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(32);
    channel.read(buffer, 0);
    return new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII).strip();
  }

  public Path file() {
    return file;
  }

  /**
   * Releases the lock; the file stays (removing it could race with a next instance that already
   * opened it).
   */
  @Override
  public void close() {
    try {
      lock.release();
    } catch (IOException e) {
      // released anyway when the channel closes
    }
    closeQuietly(channel);
  }

  private static void closeQuietly(FileChannel channel) {
    if (channel == null) {
      return;
    }
    try {
      channel.close();
    } catch (IOException e) {
      // nothing held any more
    }
  }
}

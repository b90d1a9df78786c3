package dev.deepq.train;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A folder of checkpoints, one directory per checkpoint named {@code step-<12-digit step>}. A checkpoint is written
 * into a hidden temporary directory and renamed into place only when complete, so a crash mid-write leaves the
 * previous checkpoints as they were; after each write only the newest {@code keep} are kept.
 */
public final class Checkpoints {
    private static final Pattern NAME = Pattern.compile("step-(\\d{12,19})");
    private static final String TEMP_PREFIX = ".tmp-";

    private final Path folder;
    private final int keep;

    /** @param keep how many complete checkpoints to keep (at least 1; 2 keeps the previous one as a fallback) */
    public Checkpoints(Path folder, int keep) {
        if (keep < 1) {
            throw new IllegalArgumentException("keep must be at least 1, got " + keep);
        }
        this.folder = folder;
        this.keep = keep;
    }

    /** Keeps the latest two checkpoints. */
    public Checkpoints(Path folder) {
        this(folder, 2);
    }

    public Path folder() {
        return folder;
    }

    /** The directory name of the checkpoint at {@code step}. */
    public static String directoryName(long step) {
        return String.format(Locale.ROOT, "step-%012d", step);
    }

    /**
     * Writes a checkpoint of the trainer's run (between steps) and returns its directory. Older checkpoints beyond
     * {@code keep} are deleted only after the new one is complete.
     */
    public Path write(Trainer trainer) throws IOException {
        Files.createDirectories(folder);
        String name = directoryName(trainer.step());
        Path temp = Files.createTempDirectory(folder, TEMP_PREFIX + name + "-");
        Path target = folder.resolve(name);
        try {
            Checkpoint.write(temp, trainer);
            if (Files.exists(target)) {
                // Only when a run writes the same step twice: move the old one aside, then delete it.
                Path old = Files.createTempDirectory(folder, TEMP_PREFIX + "old-");
                Files.delete(old);
                move(target, old);
                move(temp, target);
                deleteTree(old);
            } else {
                move(temp, target);
            }
            syncDirectory(folder);
        } catch (IOException | RuntimeException e) {
            deleteTree(temp);
            throw e;
        }
        prune();
        return target;
    }

    /** Complete checkpoints, oldest first. */
    public List<Path> list() throws IOException {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(folder)) {
            for (Path p : dirs) {
                if (NAME.matcher(p.getFileName().toString()).matches() && Files.isDirectory(p)) {
                    found.add(p);
                }
            }
        }
        found.sort(Comparator.comparingLong(Checkpoints::stepOf));
        return found;
    }

    /** The newest checkpoint directory, if any. */
    public Optional<Path> latest() throws IOException {
        List<Path> all = list();
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }

    /**
     * Restores the newest checkpoint into a freshly built trainer (see {@link Checkpoint#restoreInto}); empty when the
     * folder has none. A newest checkpoint that is damaged is refused, naming the previous one if there is one.
     */
    public Optional<Checkpoint> restoreLatest(Trainer trainer) throws IOException {
        List<Path> all = list();
        if (all.isEmpty()) {
            return Optional.empty();
        }
        Path newest = all.get(all.size() - 1);
        Checkpoint checkpoint;
        try {
            checkpoint = Checkpoint.read(newest);
        } catch (CheckpointException e) {
            if (all.size() > 1) {
                throw new CheckpointException(e.file(), e.getMessage().substring(e.file().toString().length() + 2)
                        + "; the previous checkpoint " + all.get(all.size() - 2) + " may be used instead", e);
            }
            throw e;
        }
        checkpoint.restoreInto(trainer);
        return Optional.of(checkpoint);
    }

    static long stepOf(Path checkpoint) {
        Matcher m = NAME.matcher(checkpoint.getFileName().toString());
        return m.matches() ? Long.parseLong(m.group(1)) : -1;
    }

    private void prune() throws IOException {
        List<Path> all = list();
        for (int i = 0; i < all.size() - keep; i++) {
            deleteTree(all.get(i));
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to);
        }
    }

    private static void syncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // Some file systems cannot sync a directory; the rename itself is still atomic.
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}

package com.monkeycoder.daemon.auth;

import com.monkeycoder.daemon.config.ConfigException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Optional;

/**
 * The local daemon's one user and key: {@code MONKEY_CODER_LOCAL_KEY} when set, otherwise a key
 * generated on first start into {@code state/local.key} (mode 0600), where the CLI finds it. The daemon keeps
 * only the key's HMAC in memory.
 */
public final class LocalKeyAuthenticator implements Authenticator {

    public static final String LOCAL_KEY_ENV = "MONKEY_CODER_LOCAL_KEY";
    public static final Caller LOCAL_USER = new Caller("local", "local");

    private final KeyHasher hasher;
    private final byte[] keyHash;
    private final Caller caller;

    private LocalKeyAuthenticator(String key, Caller caller) {
        this.caller = caller;
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        this.hasher = new KeyHasher(secret);
        this.keyHash = hasher.hash(key);
    }

    /** Uses the env key when given, else the key file, creating it on first start. */
    public static LocalKeyAuthenticator load(String envKey, Path keyFile) {
        return load(envKey, keyFile, LOCAL_USER);
    }

    /** The same, answering with {@code caller} (the local user on the plan its config gives). */
    public static LocalKeyAuthenticator load(String envKey, Path keyFile, Caller caller) {
        if (envKey != null && !envKey.isBlank()) {
            if (envKey.strip().length() < 16) {
                throw new ConfigException(LOCAL_KEY_ENV + " is too short: use at least 16 characters (e.g. mk-dev- and 32 random characters)");
            }
            return new LocalKeyAuthenticator(envKey.strip(), caller);
        }
        return new LocalKeyAuthenticator(readOrCreate(keyFile), caller);
    }

    private static String readOrCreate(Path keyFile) {
        try {
            if (Files.isRegularFile(keyFile)) {
                String key = Files.readString(keyFile, StandardCharsets.UTF_8).strip();
                if (!key.isEmpty()) {
                    return key;
                }
            }
            com.monkeycoder.shared.PrivateFiles.createDirectories(keyFile.getParent());
            String key = ApiKeys.generate(ApiKeys.LOCAL_PREFIX);
            Path tmp = keyFile.resolveSibling(keyFile.getFileName() + ".tmp");
            Files.deleteIfExists(tmp);
            try {
                Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException notPosix) {
                Files.createFile(tmp);
            } catch (FileAlreadyExistsException raced) {
                // another start is writing it at the same moment: fall through and overwrite our own temp
            }
            Files.writeString(tmp, key + "\n", StandardCharsets.UTF_8);
            Files.move(tmp, keyFile, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            return key;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the local key at " + keyFile, e);
        }
    }

    @Override
    public Optional<Caller> authenticate(String presentedKey) {
        if (presentedKey == null || presentedKey.isBlank()) {
            return Optional.empty();
        }
        return hasher.matches(presentedKey.strip(), keyHash) ? Optional.of(caller) : Optional.empty();
    }
}

package org.jvision.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.jvision.tensor.Shape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFolderTest {
    @TempDir
    Path root;

    /** A 4x4 picture of one gray level. */
    private void picture(String path, int level, String format) throws IOException {
        BufferedImage image = new BufferedImage(4, 4, BufferedImage.TYPE_BYTE_GRAY);
        for (int i = 0; i < 16; i++) {
            image.getRaster().setSample(i % 4, i / 4, 0, level);
        }
        Path file = root.resolve(path);
        Files.createDirectories(file.getParent());
        assertThat(ImageIO.write(image, format, file.toFile())).isTrue();
    }

    @Test
    void classesAreSortedSubFoldersAndPicturesAreReadAsTheModelInput() throws IOException {
        picture("dog/b.png", 200, "png");
        picture("dog/a.PNG", 100, "png");
        picture("cat/z.png", 50, "png");
        Files.createDirectories(root.resolve("empty"));
        Files.writeString(root.resolve("dog/notes.txt"), "not a picture");
        picture(".hidden/x.png", 1, "png");
        picture("cat/.x.png", 1, "png");

        Dataset data = ImageFolder.load(root, Shape.of(2, 2, 3));
        assertThat(data.classNames()).containsExactly("cat", "dog", "empty");
        assertThat(data.labels()).containsExactly(0, 1, 1);
        assertThat(data.imageShape()).isEqualTo(Shape.of(2, 2, 3));
        assertThat(data.image(0).toArray()).containsOnly(50 / 255f);
        assertThat(data.image(1).toArray()).containsOnly(100 / 255f);
        assertThat(data.image(2).toArray()).containsOnly(200 / 255f);
        assertThat(data.classCounts()).containsExactly(1, 2, 0);
    }

    @Test
    void errorsNameTheFolderOrFile() throws IOException {
        assertThatThrownBy(() -> ImageFolder.load(root.resolve("nope"), Shape.of(2, 2, 1)))
                .hasMessage(root.resolve("nope") + ": no such folder");
        assertThatThrownBy(() -> ImageFolder.load(root, Shape.of(2, 2, 1)))
                .hasMessageStartingWith(root + ": has no class sub-folders");
        Files.createDirectories(root.resolve("cat"));
        assertThatThrownBy(() -> ImageFolder.load(root, Shape.of(2, 2, 1)))
                .hasMessage(root + ": the class folders [cat] hold no .png, .jpg or .jpeg files");
        Path fake = Files.writeString(root.resolve("cat/fake.jpg"), "text");
        assertThatThrownBy(() -> ImageFolder.load(root, Shape.of(2, 2, 1)))
                .isInstanceOf(IOException.class)
                .hasMessage(fake + ": not a PNG or JPEG image");
    }
}

package dev.orderflow.platform.web;

import java.util.List;
import java.util.function.Function;
import java.util.function.LongFunction;

/**
 * One page of a list, as every list endpoint answers it:
 * {@code {"content": [...], "page": {"size", "number", "totalElements", "totalPages"}}}.
 */
public record PagedList<T>(List<T> content, Page page) {

    public record Page(int size, int number, long totalElements, long totalPages) {}

    public PagedList(List<T> content, int number, int size, long totalElements) {
        this(content, new Page(size, number, totalElements, (totalElements + size - 1) / size));
    }

    /**
     * Page {@code number} of {@code size} elements out of {@code totalElements}; its content is read only when the
     * page has any.
     *
     * @param content reads the page's elements, given the offset of its first
     */
    public static <T> PagedList<T> of(int number, int size, long totalElements, LongFunction<List<T>> content) {
        long offset = (long) number * size;
        return new PagedList<>(
                offset >= totalElements ? List.of() : content.apply(offset), number, size, totalElements);
    }

    public <R> PagedList<R> map(Function<? super T, ? extends R> mapping) {
        return new PagedList<>(content.stream().<R>map(mapping).toList(), page);
    }
}

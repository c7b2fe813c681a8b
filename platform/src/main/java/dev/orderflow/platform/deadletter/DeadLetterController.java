package dev.orderflow.platform.deadletter;

import dev.orderflow.platform.web.NoControlCharacters;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Dead letters of this service for operators; behind HTTP Basic (see the platform's security). */
@RestController
@RequestMapping("/api/admin/dead-letters")
class DeadLetterController {

    private final DeadLetterManagement deadLetters;

    DeadLetterController(DeadLetterManagement deadLetters) {
        this.deadLetters = deadLetters;
    }

    /** Newest failure first; all of them, or those of one status. */
    @GetMapping
    DeadLetterView.Page list(
            @RequestParam Optional<DeadLetterStatus> status,
            @RequestParam(defaultValue = "0") @Min(0) @Max(100_000) int page,
            @RequestParam(defaultValue = "20") @Min(1) @Max(100) int size) {
        return DeadLetterView.Page.of(deadLetters.list(status, page, size), page, size);
    }

    @GetMapping("/{id}")
    DeadLetterView.Detail get(@PathVariable long id) {
        return DeadLetterView.Detail.of(deadLetters.get(id));
    }

    /** 200 with the dead letter REPLAYED; 422 when the record fails again. */
    @PostMapping("/{id}/replay")
    DeadLetterView.Detail replay(@PathVariable long id) {
        return DeadLetterView.Detail.of(deadLetters.replay(id));
    }

    @PostMapping("/{id}/discard")
    DeadLetterView.Detail discard(@PathVariable long id, @RequestBody @Valid DiscardRequest request) {
        return DeadLetterView.Detail.of(deadLetters.discard(id, request.reason()));
    }

    record DiscardRequest(
            @NotBlank @Size(max = 500) @NoControlCharacters String reason) {}

    @ExceptionHandler
    ProblemDetail notFound(DeadLetterNotFoundException e) {
        return problem(HttpStatus.NOT_FOUND, "Dead letter not found", e.getMessage());
    }

    @ExceptionHandler
    ProblemDetail conflict(DeadLetterStateException e) {
        return problem(HttpStatus.CONFLICT, "Not possible in the dead letter's status", e.getMessage());
    }

    @ExceptionHandler
    ProblemDetail replayFailed(ReplayFailedException e) {
        DeadLetter letter = e.deadLetter();
        ProblemDetail problem = problem(
                HttpStatus.UNPROCESSABLE_CONTENT, "Replay failed", "The record failed again: " + letter.reason());
        problem.setProperty("id", letter.id());
        problem.setProperty("reason", letter.reason());
        problem.setProperty("replayCount", letter.replayCount());
        problem.setProperty("status", letter.status());
        return problem;
    }

    private static ProblemDetail problem(HttpStatus status, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(title);
        return problem;
    }
}
